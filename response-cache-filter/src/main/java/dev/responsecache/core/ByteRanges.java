package dev.responsecache.core;

import java.util.Locale;

/**
 * Whether a stored response answers a {@code Range} request in part (RFC 9110 section 14), as a pure function of the
 * request's method, {@code Range} and {@code If-Range} and the stored status, validators and body length. One range
 * only: a set of several is answered with the whole representation, as a server may (14.2).
 */
final class ByteRanges {

    private ByteRanges() {
    }

    /**
     * The partial answer, or null when the whole stored response is the answer.
     *
     * @param date the stored {@code Date}, or null: it tells whether {@code lastModified} is strong
     */
    static RangeAnswer answer(String method, String range, String ifRange, int status, String etag,
                              String lastModified, String date, long length, long nowMillis) {
        // 14.2: range handling is defined for GET only; only a whole 200 representation can be cut.
        if (range == null || !"GET".equals(method) || status != 200) {
            return null;
        }
        // 13.1.5: a Range whose If-Range does not match is ignored.
        if (ifRange != null && !ifRangeMatches(ifRange.trim(), etag, lastModified, date, nowMillis)) {
            return null;
        }
        String spec = range.trim();
        int equals = spec.indexOf('=');
        // 14.1: the unit is case-insensitive; any unit but bytes is ignored.
        if (equals < 0 || !spec.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("bytes")) {
            return null;
        }
        String set = spec.substring(equals + 1).trim();
        if (set.isEmpty() || set.indexOf(',') >= 0) {
            return null;
        }
        int dash = set.indexOf('-');
        if (dash < 0) {
            return null;
        }
        long first;
        long last;
        if (dash == 0) {
            // 14.1.1 suffix-range: the last N bytes, all of them when shorter.
            long suffix = digits(set.substring(1));
            if (suffix < 0) {
                return null;
            }
            if (suffix == 0) {
                return unsatisfiable(length);
            }
            if (length == 0) {
                // The only satisfiable form for an empty representation, and no byte to send: the whole 200.
                return null;
            }
            first = Math.max(0, length - suffix);
            last = length - 1;
        } else {
            first = digits(set.substring(0, dash));
            String end = set.substring(dash + 1);
            last = end.isEmpty() ? Long.MAX_VALUE : digits(end);
            if (first < 0 || last < 0 || last < first) {
                // 14.1.1: a last-pos below first-pos makes the range invalid, and an invalid Range is ignored.
                return null;
            }
            if (first >= length) {
                return unsatisfiable(length);
            }
            last = Math.min(last, length - 1);
        }
        return new RangeAnswer(206, "bytes " + first + "-" + last + "/" + length, first, last - first + 1);
    }

    /** 15.5.17: a 416 says the current length. */
    private static RangeAnswer unsatisfiable(long length) {
        return new RangeAnswer(416, "bytes */" + length, 0, 0);
    }

    /**
     * 13.1.5: an entity tag matches by the strong comparison (a weak tag never does), a date only when it equals the
     * stored {@code Last-Modified} exactly and that is a strong validator: 8.8.2.2, the stored {@code Date} at least
     * one second after it. Otherwise the representation may have changed again within the second of its
     * {@code Last-Modified}, and the client's copy of that date may be another body than the stored one. Without a
     * stored {@code Date} nothing tells, and the date never matches.
     */
    private static boolean ifRangeMatches(String ifRange, String etag, String lastModified, String date,
                                          long nowMillis) {
        if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
            return EntityTags.strongMatch(ifRange, etag);
        }
        if (lastModified == null || date == null) {
            return false;
        }
        Long asked = HttpDates.parse(ifRange, nowMillis);
        Long stored = HttpDates.parse(lastModified, nowMillis);
        Long sent = HttpDates.parse(date, nowMillis);
        return asked != null && stored != null && sent != null && asked.equals(stored) && sent >= stored + 1000;
    }

    /**
     * The value of 1*DIGIT (surrounding whitespace allowed), {@link Long#MAX_VALUE} for one past any length a body
     * can have, or -1 when it is not one.
     */
    private static long digits(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return trimmed.length() > 18 ? Long.MAX_VALUE : Long.parseLong(trimmed);
    }
}
