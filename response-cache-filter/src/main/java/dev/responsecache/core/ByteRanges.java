package dev.responsecache.core;

/**
 * Whether a stored response answers a {@code Range} request in part (RFC 9110 section 14), as a pure function of the
 * request's method, {@code Range} and {@code If-Range} and the stored status and body length.
 *
 * <p>Servlets read every other form their own way, so only one form is answered from the entry
 * ({@link #answerable}); a request with any other goes to the application ({@link OriginPreconditions}). With a
 * static file behind it, Jetty's default servlet refuses {@code BYTES=0-4} and {@code bytes = 0-4} with a 416 that
 * Tomcat's cuts into a 206, both cut two ranges into a {@code multipart/byteranges} 206 and refuse
 * {@code bytes=4-2} or a position past 18 digits with a 416, and they part on {@code If-Range}: Jetty's ignores it (a
 * 206 whatever it says), Tomcat's compares a date with a second's tolerance and refuses a value that is neither a
 * date nor an entity tag with a 400. The cache had answered each of these with the whole 200.
 */
final class ByteRanges {

    /** Digits of a position the cache reads: 18 fit a long; containers refuse longer ones. */
    private static final int MAX_DIGITS = 18;

    private ByteRanges() {
    }

    /**
     * Whether a request with {@code range} is answered from the entry: a GET without {@code If-Range}, whose
     * {@code Range} is one range written {@code bytes=first-last}, {@code bytes=first-} or {@code bytes=-suffix}
     * (lower case, no white space, positions of at most 18 digits, {@code last} not before {@code first}, a suffix
     * above 0), the one form every servlet that cuts ranges reads alike.
     */
    static boolean answerable(String method, String range, String ifRange) {
        if (!"GET".equals(method) || ifRange != null || !range.startsWith("bytes=")) {
            return false;
        }
        int dash = range.indexOf('-', 6);
        if (dash < 0) {
            return false;
        }
        long first = digits(range, 6, dash);
        long last = digits(range, dash + 1, range.length());
        if (dash == 6) {
            return last > 0;
        }
        return first >= 0 && (dash + 1 == range.length() || last >= first);
    }

    /**
     * The partial answer to an {@link #answerable} range, or null when the whole stored response is the answer (a
     * stored status other than 200, or the one suffix range an empty body satisfies).
     */
    static RangeAnswer answer(String range, int status, long length) {
        // 14.2: only a whole 200 representation can be cut.
        if (status != 200) {
            return null;
        }
        int dash = range.indexOf('-', 6);
        long first;
        long last;
        if (dash == 6) {
            // 14.1.1 suffix-range: the last N bytes, all of them when shorter.
            if (length == 0) {
                // The only satisfiable form for an empty representation, and no byte to send: the whole 200.
                return null;
            }
            long suffix = digits(range, dash + 1, range.length());
            first = Math.max(0, length - suffix);
            last = length - 1;
        } else {
            first = digits(range, 6, dash);
            last = dash + 1 == range.length() ? Long.MAX_VALUE : digits(range, dash + 1, range.length());
            if (first >= length) {
                // 15.5.17: a 416 says the current length.
                return new RangeAnswer(416, "bytes */" + length, 0, 0);
            }
            last = Math.min(last, length - 1);
        }
        return new RangeAnswer(206, "bytes " + first + "-" + last + "/" + length, first, last - first + 1);
    }

    /** The value of the digits from {@code start} to {@code end}, or -1 when they are not 1 to 18 digits. */
    private static long digits(String text, int start, int end) {
        if (end <= start || end - start > MAX_DIGITS) {
            return -1;
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Long.parseLong(text, start, end, 10);
    }
}
