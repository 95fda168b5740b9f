package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Whether an entry is kept gzip-compressed ({@code responsecache.compress}, {@code responsecache.compress-min-size}):
 * a pure rule over the stored response, then the compression itself, done once, on the thread that stores the miss.
 * A response the application (or the origin behind a proxy) encoded, or negotiates encodings for, is never touched.
 */
final class Compression {

    private static final List<String> DIGESTS = List.of("Content-Digest", "Repr-Digest", "Digest", "Content-MD5");

    static final String GZIP = "gzip";
    static final String OFF = "off";
    /** Below about the size of an entry's own overhead (600-800 bytes of heap) the saving is not worth a codec. */
    static final int DEFAULT_MIN_BYTES = 1024;
    static final Compression DEFAULT = new Compression(false, DEFAULT_MIN_BYTES);
    /**
     * Level 6 (zlib's default): for JSON it keeps about 10% fewer bytes than level 1 at about twice the time, paid
     * once per miss (see docs/PERFORMANCE.md).
     */
    private static final int LEVEL = Deflater.DEFAULT_COMPRESSION;
    private static final Set<String> TYPES = Set.of("application/json", "application/javascript",
            "application/ecmascript", "application/x-javascript", "application/xml", "application/x-ndjson",
            "application/yaml", "application/x-yaml", "application/graphql", "image/svg+xml");

    private final boolean enabled;
    private final int minBytes;

    Compression(boolean enabled, int minBytes) {
        this.enabled = enabled;
        this.minBytes = minBytes;
    }

    static Compression from(PropertyValues properties) {
        String mode = properties.string(ResponseCacheProperties.COMPRESS);
        boolean enabled = DEFAULT.enabled;
        if (mode != null) {
            enabled = switch (mode.toLowerCase(Locale.ROOT)) {
                case GZIP -> true;
                case OFF -> false;
                default -> throw ResponseCacheConfigException.badValue(ResponseCacheProperties.COMPRESS, mode,
                        "gzip or off");
            };
        }
        long min = properties.size(ResponseCacheProperties.COMPRESS_MIN_SIZE, DEFAULT_MIN_BYTES);
        if (min > Integer.MAX_VALUE) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.COMPRESS_MIN_SIZE,
                    properties.string(ResponseCacheProperties.COMPRESS_MIN_SIZE), "a size below 2GB");
        }
        return new Compression(enabled, (int) min);
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * The entry to store: {@code entry} with its body gzipped when the rules allow it and it saves at least an
     * eighth, else {@code entry} itself.
     *
     * @param sentVary the {@code Vary} lines filters added (JAX-RS): an encoder among them says {@code Accept-Encoding}
     */
    CacheEntry apply(CacheEntry entry, byte[] body, List<String> sentVary, boolean applicationEncodes) {
        if (!enabled || applicationEncodes || entry.gzipped()
                || refusal(entry.status(), entry.headers(), body.length, sentVary, minBytes) != null) {
            return entry;
        }
        byte[] gzip = gzip(body);
        return gzip.length <= body.length - body.length / 8 ? entry.withGzipBody(gzip) : entry;
    }

    /** Why a response is stored as it is rather than compressed, or null when it may be compressed. */
    static String refusal(int status, List<Header> headers, int length, List<String> sentVary, int minBytes) {
        if (status == 206 || status == 204 || status == 304) {
            return "status";
        }
        if (length < minBytes) {
            return "small";
        }
        // Already encoded by the application or the origin: stored as sent, never encoded twice.
        if (HttpHeaders.contains(headers, "Content-Encoding")) {
            return "encoded";
        }
        if (HttpHeaders.contains(headers, "Content-Range")) {
            return "range";
        }
        // A digest of the bytes as sent (RFC 9530 Content-Digest and Repr-Digest, RFC 3230 Digest, Content-MD5) would
        // name other bytes than the gzip a client gets: a client that checks it rejects the response.
        for (String digest : DIGESTS) {
            if (HttpHeaders.contains(headers, digest)) {
                return "digest";
            }
        }
        // RFC 9110 7.7: an intermediary must not change the content coding of such a response.
        for (String directive : HttpHeaders.elements(headers, "Cache-Control")) {
            if (directive.equalsIgnoreCase("no-transform")) {
                return "no-transform";
            }
        }
        // The application negotiates codings itself (an encoder's Vary): compression stays its own.
        for (String name : HttpHeaders.elements(headers, "Vary")) {
            if (name.equalsIgnoreCase("Accept-Encoding")) {
                return "negotiated";
            }
        }
        for (String line : sentVary) {
            for (String name : line.split(",")) {
                if (name.trim().equalsIgnoreCase("Accept-Encoding")) {
                    return "negotiated";
                }
            }
        }
        return compressible(Header.firstValue(headers, "Content-Type")) ? null : "type";
    }

    /** Text, JSON, XML, JavaScript, CSS, SVG and the {@code +json} / {@code +xml} structured types. */
    static boolean compressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        if (type.startsWith("text/")) {
            return !type.equals("text/event-stream");
        }
        return TYPES.contains(type)
                || type.startsWith("application/") && (type.endsWith("+json") || type.endsWith("+xml"));
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
        try (GZIPOutputStream gzip = new LeveledGzip(out, body.length)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip into memory failed", e);
        }
        return out.toByteArray();
    }

    /** {@link GZIPOutputStream} at {@link #LEVEL}. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(ByteArrayOutputStream out, int length) throws IOException {
            super(out, Math.max(512, Math.min(length, 65536)));
            def.setLevel(LEVEL);
        }
    }
}
