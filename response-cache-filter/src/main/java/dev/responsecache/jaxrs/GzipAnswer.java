package dev.responsecache.jaxrs;

import dev.responsecache.core.Lookup;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The body of a JAX-RS hit whose client accepts the entry's stored gzip bytes ({@link Lookup#servesGzip()}).
 *
 * <p>A hit goes through the application's writer interceptors again, and an encoder among them (RESTEasy's
 * {@code GZIPEncodingInterceptor}, Jersey's {@code GZipEncoder}) compresses whatever it writes when the response says
 * {@code Content-Encoding: gzip}. So the hit is built as an identity response (the identity entity tag, no
 * {@code Content-Encoding}), and only the innermost writer interceptor ({@link Writer}, after every encoder has
 * decided) switches it to the gzip bytes, and only when no encoder set a {@code Content-Encoding} by then. Where
 * that interceptor does not run, the identity body goes out: never compressed bytes under identity headers.
 */
final class GzipAnswer implements StreamingOutput {

    private final CacheEntry entry;
    /** The gzip representation's tag, as the lookup replays it (null: the entry has none). */
    private volatile String gzipTag;
    private volatile boolean encoded;

    private GzipAnswer(Lookup lookup) {
        this.entry = lookup.entry();
    }

    /** The body of an answer that may go out gzipped, or null when it is an ordinary identity answer. */
    static GzipAnswer of(Lookup lookup) {
        if (!lookup.servesGzip() || lookup.outcome() != Lookup.Outcome.HIT || lookup.entry().bodyLength() == 0) {
            return null;
        }
        return new GzipAnswer(lookup);
    }

    /**
     * A replayed header as the identity response built first has it: no {@code Content-Encoding}, and the entry's
     * own tag in place of the gzip one (kept for {@link Writer}); null to leave it out.
     */
    Header asIdentity(Header header) {
        if (header.is(HttpHeaders.CONTENT_ENCODING)) {
            return null;
        }
        if (header.is(HttpHeaders.ETAG)) {
            gzipTag = header.value();
            return identityTag();
        }
        return header;
    }

    /** The entry's own {@code ETag} field, as stored: nothing to build per hit. */
    private Header identityTag() {
        for (Header stored : entry.headers()) {
            if (stored.is(HttpHeaders.ETAG)) {
                return stored;
            }
        }
        throw new IllegalStateException("a gzip tag without an identity tag: " + entry);
    }

    @Override
    public void write(OutputStream out) throws IOException {
        if (encoded) {
            entry.writeStoredBody(out);
        } else {
            entry.writeBody(out);
        }
    }

    /** Registers {@link Writer} for every response of the application: pre-matching hits have no method to bind to. */
    static void register(FeatureContext context) {
        context.register(new Writer(), Map.of(WriterInterceptor.class, Integer.MAX_VALUE));
    }

    /** The innermost writer interceptor: it sees the headers after every encoder decided on them. */
    static final class Writer implements WriterInterceptor {
        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            if (context.getEntity() instanceof GzipAnswer answer) {
                MultivaluedMap<String, Object> headers = context.getHeaders();
                if (headers.getFirst(HttpHeaders.CONTENT_ENCODING) == null) {
                    answer.encoded = true;
                    headers.putSingle(HttpHeaders.CONTENT_ENCODING, "gzip");
                    if (answer.gzipTag != null) {
                        headers.putSingle(HttpHeaders.ETAG, answer.gzipTag);
                    }
                }
            }
            context.proceed();
        }
    }
}
