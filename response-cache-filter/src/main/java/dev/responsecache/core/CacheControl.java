package dev.responsecache.core;

import dev.responsecache.spi.Header;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The directives of every {@code Cache-Control} field line of a message (RFC 9111 5.2), names in lower case, values
 * unquoted. Commas inside a quoted value ({@code private="Set-Cookie, X-User"}) do not split directives.
 */
final class CacheControl {

    static final CacheControl NONE = new CacheControl(Map.of(), Set.of());

    private final Map<String, String> directives;
    /** Directives given more than once with different arguments (private and no-cache aside: those add up). */
    private final Set<String> conflicting;

    private CacheControl(Map<String, String> directives, Set<String> conflicting) {
        this.directives = directives;
        this.conflicting = conflicting;
    }

    static CacheControl of(List<Header> headers) {
        Map<String, String> directives = new LinkedHashMap<>();
        Set<String> conflicting = new HashSet<>();
        for (Header header : headers) {
            if (header.is("Cache-Control")) {
                parse(header.value(), directives, conflicting);
            }
        }
        return directives.isEmpty() ? NONE : new CacheControl(Collections.unmodifiableMap(directives), conflicting);
    }

    /** A request's directives, from its {@code Cache-Control} value (null: none). */
    static CacheControl ofRequest(String value) {
        if (value == null) {
            return NONE;
        }
        Map<String, String> directives = new LinkedHashMap<>();
        Set<String> conflicting = new HashSet<>();
        parse(value, directives, conflicting);
        return new CacheControl(Collections.unmodifiableMap(directives), conflicting);
    }

    private static void parse(String value, Map<String, String> into, Set<String> conflicting) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            int start = i;
            while (i < n && value.charAt(i) != ',' && value.charAt(i) != '=') {
                i++;
            }
            String name = value.substring(start, i).trim().toLowerCase(Locale.ROOT);
            String argument = "";
            if (i < n && value.charAt(i) == '=') {
                i++;
                while (i < n && value.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && value.charAt(i) == '"') {
                    StringBuilder quoted = new StringBuilder();
                    i++;
                    while (i < n && value.charAt(i) != '"') {
                        if (value.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        quoted.append(value.charAt(i++));
                    }
                    i++;
                    argument = quoted.toString();
                    while (i < n && value.charAt(i) != ',') {
                        i++;
                    }
                } else {
                    int argStart = i;
                    while (i < n && value.charAt(i) != ',') {
                        i++;
                    }
                    argument = value.substring(argStart, i).trim();
                }
            }
            i++;
            // RFC 9111 4.2.1: a cache takes the first of duplicated directives (the most conservative reading is
            // the recipient's choice; the first is what nginx and Varnish use). Except private and no-cache: those
            // add up, and one without field names anywhere applies to the whole response, or a qualified one
            // first would hide it and share a private response.
            if (!name.isEmpty()) {
                String known = into.putIfAbsent(name, argument);
                if (known != null && !known.isBlank() && ("private".equals(name) || "no-cache".equals(name))) {
                    into.put(name, argument.isBlank() ? "" : known + "," + argument);
                } else if (known != null && !known.equals(argument)) {
                    conflicting.add(name);
                }
            }
        }
    }

    boolean has(String directive) {
        return directives.containsKey(directive);
    }

    /** The directive's argument; "" when present without one, null when absent. */
    String argument(String directive) {
        return directives.get(directive);
    }

    /**
     * A delta-seconds argument in milliseconds: -1 when the directive is absent, its argument is not a
     * non-negative integer or it is given twice with different arguments (RFC 9111 1.2.2: an invalid value means
     * the directive is ignored, except where a rule says otherwise: see {@link #invalid}); a value past a year is a
     * year.
     */
    long seconds(String directive) {
        String argument = directives.get(directive);
        if (argument == null || argument.isEmpty() || conflicting.contains(directive)) {
            return -1;
        }
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        if (argument.length() > 9) {
            return CachePolicy.MAX_TTL.toMillis();
        }
        return Math.min(Long.parseLong(argument) * 1000, CachePolicy.MAX_TTL.toMillis());
    }

    /**
     * Whether the directive is present but its delta-seconds argument is not usable: missing, not 1*DIGIT (a
     * negative or fractional number, a word) or given twice with different values. RFC 9111 4.2.1: a cache is
     * encouraged to take such freshness information as stale, which {@link #seconds} alone (-1, as if absent) would
     * not do.
     */
    boolean invalid(String directive) {
        return directives.containsKey(directive) && seconds(directive) < 0;
    }

    /** Whether the directive is given more than once with different arguments. */
    boolean conflicting(String directive) {
        return conflicting.contains(directive);
    }

    /** The field names of a qualified {@code private="..."} or {@code no-cache="..."}; empty when unqualified. */
    List<String> fieldNames(String directive) {
        String argument = directives.get(directive);
        List<String> names = new ArrayList<>();
        if (argument != null) {
            for (String name : argument.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    /** Present without field names: applies to the whole response. */
    boolean unqualified(String directive) {
        return has(directive) && fieldNames(directive).isEmpty();
    }
}
