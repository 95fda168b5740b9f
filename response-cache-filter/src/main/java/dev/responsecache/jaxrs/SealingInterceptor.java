package dev.responsecache.jaxrs;

import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.spi.Header;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The outermost writer interceptor, where the application has interceptors of its own: one may add a header line
 * after its {@code proceed()}, once the body is written, and Jersey still sends it when the body was within its
 * buffer (RESTEasy has committed the response by then). The innermost interceptor hands the body on at once, as
 * always, and leaves the store to this one, which judges the lines the client gets after every interceptor.
 * Storing then waits for the body to be handed to the runtime and the container, which for a body past their
 * buffers means for the client; requests coalesced behind it wait as long.
 */
final class SealingInterceptor implements WriterInterceptor {

    private final ResponseCache cache;
    private final MissStore miss;

    SealingInterceptor(ResponseCache cache, MissStore miss) {
        this.cache = cache;
        this.miss = miss;
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!(context.getProperty(CachingFilter.PENDING) instanceof PendingStore pending)
                || !Boolean.TRUE.equals(context.getProperty(ApplicationPipeline.INTERCEPTED))) {
            context.proceed();
            return;
        }
        context.setProperty(CachingFilter.SEALED, Boolean.TRUE);
        Lookup lookup = pending.lookup();
        // For a refresh, what the application's interceptors throw is told apart from a client that hung up.
        OutputStream original = context.getOutputStream();
        ClientWriteFailures client = lookup.refreshing() ? new ClientWriteFailures(original) : null;
        if (client != null) {
            context.setOutputStream(client);
        }
        boolean written = false;
        try {
            context.proceed();
            written = true;
        } catch (IOException | RuntimeException | Error failure) {
            // A miss is not told apart (no stream over the client's): whatever failed, its body is not stored, and
            // neither is the exception mapper's page the runtime answers with.
            if (client == null || !client.failed()) {
                // An interceptor of the application threw after the cache's innermost one returned (or with it,
                // counted once): the refresh stores nothing, and the runtime may never pass it on (Jersey only
                // logs it once the response was committed; the runner sees the 500 Jersey answers otherwise). A
                // WebApplicationException too: the page is not written, whatever its response says.
                cache.bodyWriterFailed(lookup, applicationsOwn(failure));
            }
            throw failure;
        } finally {
            if (client != null && context.getOutputStream() == client) {
                // An interceptor may leave its own stream over it for the runtime to close (Jersey's encoders).
                context.setOutputStream(original);
            }
            context.removeProperty(CachingFilter.SEALED);
            Object left = context.getProperty(CachingFilter.STORE_AFTER);
            context.removeProperty(CachingFilter.STORE_AFTER);
            if (left instanceof WrittenResponse response) {
                storeWritten(context, response, written);
            } else if (context.getProperty(CachingFilter.PENDING) instanceof PendingStore unwritten) {
                // An application interceptor wrote the body itself, without proceed(): the innermost interceptor,
                // which takes the pending store, never ran, and nothing else would release the key.
                context.removeProperty(CachingFilter.PENDING);
                cache.release(unwritten.lookup());
            }
        }
    }

    /** What the application threw: Jersey wraps an interceptor's exception in one of its own. */
    private static Throwable applicationsOwn(Throwable failure) {
        return failure.getCause() != null && failure.getClass().getName().startsWith("org.glassfish.jersey.")
                ? failure.getCause() : failure;
    }

    private void storeWritten(WriterInterceptorContext context, WrittenResponse response, boolean written) {
        Lookup lookup = response.pending().lookup();
        MultivaluedMap<String, Object> headers = context.getHeaders();
        List<Header> sent = written ? miss.sentHeaders(headers) : null;
        if (sent == null || miss.refusedAsSent(response.pending(), sent, headers)) {
            cache.release(lookup);
            return;
        }
        miss.store(lookup, response.produced(), response.body(), context.getProperty(ApplicationPipeline.PROPERTY),
                headers, sent, FieldLines.sentVary(context.getProperty(CachingFilter.APPLICATION_VARY),
                        context.getProperty(CachingFilter.MERGED_VARY), sent));
    }
}
