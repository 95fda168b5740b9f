package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

/**
 * Which representation of an entry kept gzip-compressed a request gets (RFC 9110 12.5.3, 8.8.3): the gzip bytes as
 * they are stored, with {@code Content-Encoding: gzip} and their own strong tag, to a client that accepts gzip; the
 * identity body, with the entry's tag, to any other client and to every range request (ranges apply to the
 * identity body). The one rule: the 304 decision, the replayed headers and the body all ask it.
 */
final class GzipAnswers {

    private GzipAnswers() {
    }

    /** Whether this request is answered with the stored gzip bytes of {@code entry}. */
    static boolean serves(CacheEntry entry, CacheRequest request) {
        return entry.gzipped() && request.header("Range") == null && acceptsGzip(request.header("Accept-Encoding"));
    }

    /** The entity tag of the representation {@code request} gets of {@code entry} (null when it has none). */
    static String etag(CacheEntry entry, CacheRequest request) {
        return serves(entry, request) ? gzipTag(entry) : entry.etag();
    }

    /**
     * Whether the request's {@code If-None-Match} names a current representation of {@code entry} (RFC 9110
     * 13.1.2): the one this request would get, or, for a request offered the gzip bytes, the identity one. A JAX-RS
     * application's own encoder (RESTEasy's {@code GZIPEncodingInterceptor}, Jersey's {@code EncodingFilter}) makes
     * a hit send the identity tag with bytes it compresses itself, and a client may hold the identity body from an
     * earlier answer: either tag is still current, so either is a 304.
     */
    static boolean noneMatchHits(CacheEntry entry, CacheRequest request) {
        String ifNoneMatch = request.header("If-None-Match");
        // Most requests name no tag: nothing to work out about the representation.
        return ifNoneMatch != null && (ETags.noneMatchHits(ifNoneMatch, etag(entry, request))
                || namesIdentityOnly(entry, request));
    }

    /**
     * Whether a request offered the gzip bytes names the identity tag and not the gzip one: its 304 is then about
     * the identity representation, and carries that tag.
     */
    static boolean namesIdentityOnly(CacheEntry entry, CacheRequest request) {
        String ifNoneMatch = request.header("If-None-Match");
        return ifNoneMatch != null && serves(entry, request)
                && !ETags.noneMatchHits(ifNoneMatch, gzipTag(entry))
                && ETags.noneMatchHits(ifNoneMatch, entry.etag());
    }

    /** The tag of the gzip representation ({@link CacheEntry#gzipHeaders()}), or null when the entry has none. */
    static String gzipTag(CacheEntry entry) {
        return entry.etag() == null ? null : Header.firstValue(entry.gzipHeaders(), "ETag");
    }

    /**
     * Whether an {@code Accept-Encoding} value accepts gzip: {@code gzip} (or {@code x-gzip}) with a weight above 0,
     * or, when neither is named, {@code *} with a weight above 0. Absent, empty or {@code identity} only: no (a client
     * that sends nothing gets the identity body, as most servers do, though RFC 9110 would allow any coding). Read
     * in place, without splitting: every hit on a compressed entry asks.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        int any = -1;
        int length = acceptEncoding.length();
        for (int start = 0; start < length; ) {
            int comma = acceptEncoding.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            int semicolon = acceptEncoding.indexOf(';', start);
            int codingEnd = semicolon < 0 || semicolon > end ? end : semicolon;
            int from = HttpHeaders.trimStart(acceptEncoding, start, codingEnd);
            int to = HttpHeaders.trimEnd(acceptEncoding, from, codingEnd);
            boolean gzip = isAscii(acceptEncoding, from, to, "gzip") || isAscii(acceptEncoding, from, to, "x-gzip");
            if (gzip || to - from == 1 && acceptEncoding.charAt(from) == '*') {
                boolean accepted = codingEnd == end || weightAboveZero(acceptEncoding, codingEnd + 1, end);
                if (gzip) {
                    return accepted;
                }
                any = accepted ? 1 : 0;
            }
            start = end + 1;
        }
        return any == 1;
    }

    /**
     * Whether the parameters in {@code [from, to)} give a weight above 0: {@code q=0}, {@code q=0.0},
     * {@code q=0.000} (any spacing or case) weigh zero; anything unreadable too; no {@code q} at all weighs 1.
     */
    private static boolean weightAboveZero(String value, int from, int to) {
        for (int start = from; start < to; ) {
            int semicolon = value.indexOf(';', start);
            int end = semicolon < 0 || semicolon > to ? to : semicolon;
            int equals = value.indexOf('=', start);
            if (equals >= 0 && equals < end) {
                int nameFrom = HttpHeaders.trimStart(value, start, equals);
                if (isAscii(value, nameFrom, HttpHeaders.trimEnd(value, nameFrom, equals), "q")) {
                    int weightFrom = HttpHeaders.trimStart(value, equals + 1, end);
                    return weighsAboveZero(value, weightFrom, HttpHeaders.trimEnd(value, weightFrom, end));
                }
            }
            start = end + 1;
        }
        return true;
    }

    /**
     * Whether the weight in {@code [from, to)} is above 0, as {@link Double#parseDouble} reads it: a plain decimal
     * of a few digits (every weight RFC 9110 12.4.2 allows) is read in place, anything else by the parser.
     */
    private static boolean weighsAboveZero(String value, int from, int to) {
        boolean plain = true;
        boolean digits = false;
        boolean nonZero = false;
        boolean point = false;
        for (int i = from; i < to && plain; i++) {
            char c = value.charAt(i);
            if (c >= '0' && c <= '9') {
                digits = true;
                nonZero |= c != '0';
            } else if (c == '.' && !point) {
                point = true;
            } else {
                plain = false;
            }
        }
        // Past a few digits a tiny weight could round to 0 in the parser: it decides.
        if (plain && digits && to - from <= 16) {
            return nonZero;
        }
        try {
            return Double.parseDouble(value.substring(from, to)) > 0;
        } catch (NumberFormatException unreadable) {
            return false;
        }
    }

    /** Whether {@code [from, to)} is {@code lowerCase}, ignoring the case of ASCII letters only. */
    private static boolean isAscii(String value, int from, int to, String lowerCase) {
        if (to - from != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < lowerCase.length(); i++) {
            char c = value.charAt(from + i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c) != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
