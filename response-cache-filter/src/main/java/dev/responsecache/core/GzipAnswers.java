package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;

import java.util.Locale;

/**
 * Which representation of an entry kept gzip-compressed a request gets (RFC 9110 12.5.3, 8.8.3): the gzip bytes as
 * they are stored, with {@code Content-Encoding: gzip} and their own strong tag, to a client that accepts gzip; the
 * identity body, with the entry's tag, to any other client and to every range request (ranges apply to the
 * identity body). The one rule: the 304 decision, the replayed headers and the body all ask it.
 */
final class GzipAnswers {

    static final String GZIP_SUFFIX = "-gzip";

    private GzipAnswers() {
    }

    /** Whether this request is answered with the stored gzip bytes of {@code entry}. */
    static boolean serves(CacheEntry entry, CacheRequest request) {
        return entry.gzipped() && request.header("Range") == null && acceptsGzip(request.header("Accept-Encoding"));
    }

    /** The entity tag of the representation {@code request} gets of {@code entry} (null when it has none). */
    static String etag(CacheEntry entry, CacheRequest request) {
        return serves(entry, request) ? gzipTag(entry.etag()) : entry.etag();
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
        return ETags.noneMatchHits(ifNoneMatch, etag(entry, request)) || namesIdentityOnly(entry, request);
    }

    /**
     * Whether a request offered the gzip bytes names the identity tag and not the gzip one: its 304 is then about
     * the identity representation, and carries that tag.
     */
    static boolean namesIdentityOnly(CacheEntry entry, CacheRequest request) {
        String ifNoneMatch = request.header("If-None-Match");
        return ifNoneMatch != null && serves(entry, request)
                && !ETags.noneMatchHits(ifNoneMatch, gzipTag(entry.etag()))
                && ETags.noneMatchHits(ifNoneMatch, entry.etag());
    }

    /**
     * The tag of the gzip representation: the identity tag with {@code -gzip} inside the quotes ({@code "abc"}
     * becomes {@code "abc-gzip"}, {@code W/"abc"} becomes {@code W/"abc-gzip"}), so that the two never match each
     * other, and a validator of either representation is recognised (Apache httpd's {@code mod_deflate} does the same).
     */
    static String gzipTag(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.endsWith("\"") && etag.length() >= 2
                ? etag.substring(0, etag.length() - 1) + GZIP_SUFFIX + '"' : etag + GZIP_SUFFIX;
    }

    /**
     * Whether an {@code Accept-Encoding} value accepts gzip: {@code gzip} (or {@code x-gzip}) with a weight above 0,
     * or, when neither is named, {@code *} with a weight above 0. Absent, empty or {@code identity} only: no (a client
     * that sends nothing gets the identity body, as most servers do, though RFC 9110 would allow any coding).
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Boolean any = null;
        for (String element : acceptEncoding.split(",")) {
            int semicolon = element.indexOf(';');
            String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).trim()
                    .toLowerCase(Locale.ROOT);
            boolean accepted = semicolon < 0 || weightAboveZero(element.substring(semicolon + 1));
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return accepted;
            }
            if (coding.equals("*")) {
                any = accepted;
            }
        }
        return any != null && any;
    }

    /** {@code q=0}, {@code q=0.0}, {@code q=0.000} (any spacing or case) weigh zero; anything unreadable too. */
    private static boolean weightAboveZero(String parameters) {
        for (String parameter : parameters.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals < 0 || !parameter.substring(0, equals).trim().equalsIgnoreCase("q")) {
                continue;
            }
            try {
                return Double.parseDouble(parameter.substring(equals + 1).trim()) > 0;
            } catch (NumberFormatException unreadable) {
                return false;
            }
        }
        return true;
    }
}
