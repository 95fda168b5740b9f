package dev.responsecache.core;

import java.util.ArrayList;
import java.util.List;

/**
 * How a request header or cookie is read for a key or a {@code Vary} match: so that two requests an application
 * may read differently never read alike here. A header sent on several lines is not its lines joined with commas
 * ({@code X-Tenant: acme} and {@code X-Tenant: globex} is not {@code X-Tenant: acme,globex}, and the servlet API's
 * {@code getHeader} gives the first line only); a cookie sent twice is all its values, in order (parsers differ on
 * which one wins); a cookie header that parsers may split differently is not read at all.
 */
final class KeyedValues {

    /** A cookie header whose keyed cookie parsers may read differently: the request is not keyed. */
    static final String AMBIGUOUS = new String("ambiguous");

    private KeyedValues() {
    }

    /**
     * The value of a request header as compared: the value as sent on one line, or (several lines, or a line that
     * starts with NUL, which no conforming server passes on: RFC 9110 5.5) a NUL, the number of lines and each line
     * length-prefixed, which no value sent on one line equals. Null when absent.
     */
    static String header(CacheRequest request, String name) {
        if (HostDerived.FORWARDED_HOST.equals(name)) {
            return HostDerived.forwardedHost(request.header("Forwarded"));
        }
        if (HostDerived.SEEN_ORIGIN.equals(name)) {
            return request.seenOrigin();
        }
        String value = request.header(name);
        if (name.equalsIgnoreCase("host")) {
            return host(request, value);
        }
        return asSent(request, name, value);
    }

    private static String asSent(CacheRequest request, String name, String value) {
        if (value == null || value.indexOf(',') < 0 && !startsWithNul(value)) {
            // One line for sure: lines are joined with commas.
            return value;
        }
        List<String> lines = request.headerLines(name);
        return lines.size() == 1 && !startsWithNul(lines.get(0)) ? lines.get(0) : listed(lines);
    }

    /**
     * {@code Host} as compared: the header as sent when it names the authority the runtime saw (without case, the
     * scheme's default port either way), as it does for almost every HTTP/1.1 request; otherwise, both listed. An
     * application may read either, and they differ without {@code Host} (HTTP/2, whose host is the {@code :authority},
     * where a page built from the header says it is absent) and for an absolute-form target naming another host
     * (which the servlet request's server name follows): read as the header alone, such a request's page answered
     * the visitors whose {@code Host} reads alike. The header as sent when the origin is not known.
     */
    private static String host(CacheRequest request, String value) {
        String origin = request.seenOrigin();
        if (origin == null || origin.isEmpty()) {
            return asSent(request, "host", value);
        }
        if (value != null && HostDerived.namesAuthority(value, origin)) {
            return value;
        }
        String seen = HostDerived.seenAuthority(request);
        String authority = seen == null ? "" : seen;
        // One item without the header, two with it: no Host sent on one line or on several reads alike.
        return value == null ? listed(List.of(authority)) : listed(List.of(asSent(request, "host", value), authority));
    }

    /**
     * The value of cookie {@code name} as keyed, read from the request's {@code Cookie} header lines: null when no
     * parser could find it; its value when it is sent once; every value in order, as {@link #header} lists lines,
     * when it is sent more than once; {@link #AMBIGUOUS} when parsers may disagree on what the request carries under
     * that name: a name that differs only in case, white space around it, a quote, backslash or white space in its
     * value, a value without {@code =}, the pair next to a comma (an old separator, which newer parsers keep inside
     * the value before it), a quoted value of any cookie holding a separator or a backslash (parsers that honour
     * quotes split elsewhere), or a pair named with {@code $} (an attribute of the old syntax). Anything else in the
     * other cookies ({@code $}, commas or quotes inside their values, as analytics and consent cookies carry) leaves
     * the keyed cookie read alike by every parser.
     */
    static String cookie(CacheRequest request, String name) {
        String joined = request.header("Cookie");
        if (joined == null) {
            return null;
        }
        List<String> lines = joined.indexOf(',') < 0 ? List.of(joined) : request.headerLines("Cookie");
        String first = null;
        List<String> values = null;
        for (String line : lines) {
            if (quotedSeparator(line)) {
                return AMBIGUOUS;
            }
            int start = 0;
            int length = line.length();
            char before = ';';
            while (start <= length) {
                int end = start;
                while (end < length && line.charAt(end) != ';' && line.charAt(end) != ',') {
                    end++;
                }
                String named = named(line, start, end, name);
                if (named == AMBIGUOUS || dollarNamed(line, start, end)
                        || named != null && (before == ',' || end < length && line.charAt(end) == ',')) {
                    return AMBIGUOUS;
                }
                if (named != null && first == null) {
                    first = named;
                } else if (named != null) {
                    if (values == null) {
                        values = new ArrayList<>(List.of(first));
                    }
                    values.add(named);
                }
                before = end < length ? line.charAt(end) : ';';
                start = end + 1;
            }
        }
        if (first == null) {
            return null;
        }
        return values != null ? listed(values) : startsWithNul(first) ? listed(List.of(first)) : first;
    }

    /** The value of the pair in {@code line[start, end)} when it may name cookie {@code name}, else null. */
    private static String named(String line, int start, int end, String name) {
        int from = start;
        int to = end;
        while (from < to && space(line.charAt(from))) {
            from++;
        }
        while (to > from && space(line.charAt(to - 1))) {
            to--;
        }
        int eq = line.indexOf('=', from);
        if (eq < 0 || eq > to) {
            eq = to;
        }
        int nameEnd = eq;
        while (nameEnd > from && space(line.charAt(nameEnd - 1))) {
            nameEnd--;
        }
        if (nameEnd - from != name.length() || !line.regionMatches(true, from, name, 0, name.length())) {
            return null;
        }
        if (eq == to || nameEnd != eq || !line.regionMatches(from, name, 0, name.length())) {
            return AMBIGUOUS;
        }
        String value = line.substring(eq + 1, to);
        return hasAny(value, " \t\"\\") ? AMBIGUOUS : value;
    }

    /** Whether the pair in {@code line[start, end)} is named with {@code $}: an attribute of the old cookie syntax. */
    private static boolean dollarNamed(String line, int start, int end) {
        int from = start;
        while (from < end && space(line.charAt(from))) {
            from++;
        }
        return from < end && line.charAt(from) == '$';
    }

    /**
     * Whether a quoted stretch holds a separator ({@code ;} or {@code ,}) or an escaped quote or backslash, or a quote
     * is left open: parsers that honour quotes (and their escapes) then split the line elsewhere than those that do
     * not. Other escapes (a backslash and digits, in Django's messages cookie) change no split.
     */
    private static boolean quotedSeparator(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (quoted && (c == ';' || c == ',' || c == '\\' && escapesQuoting(line, i + 1))) {
                return true;
            }
        }
        return quoted;
    }

    private static boolean escapesQuoting(String line, int next) {
        return next < line.length() && (line.charAt(next) == '"' || line.charAt(next) == '\\');
    }

    /** NUL, the count, then each value length-prefixed: one string per list, equal to no one-line value. */
    private static String listed(List<String> values) {
        StringBuilder listed = new StringBuilder(16).append('\0').append(values.size());
        for (String value : values) {
            listed.append(';').append(value.length()).append(':').append(value);
        }
        return listed.toString();
    }

    private static boolean startsWithNul(String value) {
        return !value.isEmpty() && value.charAt(0) == '\0';
    }

    private static boolean space(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean hasAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }
}
