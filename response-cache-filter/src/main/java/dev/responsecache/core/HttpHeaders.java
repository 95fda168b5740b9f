package dev.responsecache.core;

import dev.responsecache.spi.Header;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Header rules shared by storing and replaying: what is never stored, and how list-valued headers are read. */
final class HttpHeaders {

    /**
     * Not stored: hop-by-hop headers (RFC 9110 7.6.1), values that belong to one transmission ({@code Date},
     * {@code Content-Length}, {@code Age}), and the cache's own status header, which is set anew on every reply.
     * {@code Cache-Status} is stored: the adapters hand over only the members of caches nearer the origin (RFC 9111
     * 3.1 keeps every field received), and a reply appends this cache's member to them ({@link Lookup}).
     */
    private static final Set<String> NOT_STORED = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "date", "content-length", "age");

    private HttpHeaders() {
    }

    static boolean isStored(String name, String statusHeader) {
        String lower = name.toLowerCase(Locale.ROOT);
        return !NOT_STORED.contains(lower) && !lower.equalsIgnoreCase(statusHeader);
    }

    /** The comma-separated elements of every field line with this name, trimmed, without empty elements. */
    static List<String> elements(List<Header> headers, String name) {
        List<String> elements = new ArrayList<>();
        for (Header header : headers) {
            if (header.is(name)) {
                for (String element : header.value().split(",")) {
                    String trimmed = element.trim();
                    if (!trimmed.isEmpty()) {
                        elements.add(trimmed);
                    }
                }
            }
        }
        return elements;
    }

    /**
     * Whether the comma-separated {@code value} has the element {@code wanted} (case-insensitive), read without
     * copying it: when {@code directive}, the element's name before any {@code =} argument (a {@code Cache-Control}
     * directive), else the whole trimmed element, as {@link #elements} gives it.
     */
    static boolean hasElement(String value, String wanted, boolean directive) {
        int length = value.length();
        int start = 0;
        while (start <= length) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int nameEnd = end;
            if (directive) {
                int eq = value.indexOf('=', start);
                if (eq >= 0 && eq < end) {
                    nameEnd = eq;
                }
            }
            int from = trimStart(value, start, nameEnd);
            int to = trimEnd(value, from, nameEnd);
            if (to - from == wanted.length() && value.regionMatches(true, from, wanted, 0, wanted.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** The first index of {@code [from, to)} that {@link String#trim()} keeps (it drops every char up to a space). */
    static int trimStart(String value, int from, int to) {
        while (from < to && value.charAt(from) <= ' ') {
            from++;
        }
        return from;
    }

    /** The end of {@code [from, to)} after {@link String#trim()}. */
    static int trimEnd(String value, int from, int to) {
        while (to > from && value.charAt(to - 1) <= ' ') {
            to--;
        }
        return to;
    }

    static boolean contains(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.is(name)) {
                return true;
            }
        }
        return false;
    }
}
