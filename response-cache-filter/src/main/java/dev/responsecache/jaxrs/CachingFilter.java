package dev.responsecache.jaxrs;

import dev.responsecache.core.CacheEntry;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.CapturingOutputStream;
import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.core.FaultLog;
import dev.responsecache.core.Header;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The cache around one resource method. As a request filter it answers hits; as a response filter it marks misses
 * and decides whether the body is worth capturing; as a writer interceptor it captures the body as it streams to the
 * client and stores the response once it is complete.
 */
final class CachingFilter implements ContainerRequestFilter, ContainerResponseFilter, WriterInterceptor {

    /**
     * After every authentication, authorization and user filter (an application filter without {@code @Priority}
     * gets {@link Priorities#USER}), so that a cached response never reaches a request the application rejects.
     */
    static final int LOOKUP_PRIORITY = Priorities.USER + 1000;
    /** Response filters run in descending order: the lowest runs last and sees every header the others set. */
    static final int STORE_PRIORITY = 100;
    /**
     * Writer interceptors run in ascending order and each wraps the stream of the previous ones: the first one sees
     * the bytes as they leave (after an encoder such as gzip), which are the bytes to replay.
     */
    static final int CAPTURE_PRIORITY = 100;

    private static final String LOOKUP = "dev.responsecache.lookup";
    private static final String PENDING = "dev.responsecache.pending";
    private static final byte[] NO_BODY = new byte[0];

    private final ResponseCache cache;
    private final CachePolicy policy;
    private final Representation representation;
    private final String statusHeader;
    private final EarlyRoutes.Route route;
    private final FaultLog faults = new FaultLog("response cache (JAX-RS response headers)");
    private volatile ReplayedType lastType;

    CachingFilter(ResponseCache cache, CachePolicy policy, Representation representation) {
        this.cache = cache;
        this.policy = policy;
        this.representation = representation;
        this.statusHeader = cache.settings().statusHeader();
        this.route = new EarlyRoutes.Route(policy, representation::forEarlyHit);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return;
        }
        Lookup lookup = cache.lookup(policy,
                new JaxrsRequest(request, representation.of(request.getHeaderString(HttpHeaders.ACCEPT))));
        request.setProperty(LOOKUP, lookup);
        if (lookup.answered()) {
            request.abortWith(replay(lookup));
        }
    }

    private Response replay(Lookup lookup) {
        Response.ResponseBuilder response = Response.status(lookup.status());
        for (Header header : lookup.replayHeaders(statusHeader)) {
            response.header(header.name(), header.is(HttpHeaders.CONTENT_TYPE) ? contentType(header.value())
                    : header.value());
        }
        CacheEntry entry = lookup.entry();
        if (lookup.outcome() == Lookup.Outcome.HIT) {
            // As text: an Integer would make the runtime look up a header delegate to format it on every hit.
            response.header(HttpHeaders.CONTENT_LENGTH, Integer.toString(entry.bodyLength()));
        }
        if (lookup.answerHasBody()) {
            response.entity((StreamingOutput) entry::writeBody);
        }
        return response.build();
    }

    /**
     * The stored Content-Type as a parsed {@link MediaType}: the runtime needs the media type of every response to
     * choose its writer, and would otherwise parse the text again on every hit. One method nearly always produces
     * one type, so remembering the last one parsed is enough. The text is kept when the parsed type would be
     * written back differently, so that a hit replays exactly the stored header.
     */
    private Object contentType(String text) {
        ReplayedType last = lastType;
        if (last == null || !last.text().equals(text)) {
            MediaType parsed;
            try {
                parsed = MediaType.valueOf(text);
            } catch (IllegalArgumentException unparsable) {
                parsed = null;
            }
            last = new ReplayedType(text, parsed != null && parsed.toString().equals(text) ? parsed : null);
            lastType = last;
        }
        return last.type() != null ? last.type() : text;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(LOOKUP) instanceof Lookup lookup) || lookup.answered()) {
            return;
        }
        MultivaluedMap<String, Object> headers = response.getHeaders();
        for (Header header : lookup.forwardHeaders(statusHeader)) {
            headers.putSingle(header.name(), header.value());
        }
        int status = response.getStatus();
        if (!cache.mayCapture(lookup, status, headersOrNull(headers))) {
            cache.release(lookup);
            return;
        }
        if (response.hasEntity()) {
            request.setProperty(PENDING, new PendingStore(lookup, status));
        } else {
            store(lookup, status, headers, NO_BODY);
        }
    }

    @Override
    public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
        if (!(context.getProperty(PENDING) instanceof PendingStore pending)) {
            context.proceed();
            return;
        }
        context.removeProperty(PENDING);
        OutputStream original = context.getOutputStream();
        CapturingOutputStream capture = cache.capture(original);
        context.setOutputStream(capture);
        boolean written = false;
        try {
            context.proceed();
            written = true;
        } finally {
            context.setOutputStream(original);
            if (!written) {
                cache.release(pending.lookup());
            }
        }
        byte[] body = capture.captured();
        if (body == null) {
            cache.release(pending.lookup());
        } else {
            store(pending.lookup(), pending.status(), context.getHeaders(), body);
        }
    }

    /**
     * Stores the response, and tells a servlet filter answering early hits in front of the runtime how this path is
     * keyed. A header the runtime cannot format (a user value whose {@code toString} throws) skips the store rather
     * than failing the response, and still releases the requests waiting for this one.
     */
    private void store(Lookup lookup, int status, MultivaluedMap<String, Object> headers, byte[] body) {
        List<Header> text;
        try {
            text = JaxrsHeaders.toList(headers);
        } catch (RuntimeException e) {
            faults.failed(e);
            cache.release(lookup);
            return;
        }
        if (cache.store(lookup, status, text, body) != null) {
            cache.earlyRoutes().learn(lookup, route);
        }
    }

    /** The headers as text, or null when one cannot be formatted (then the store is skipped, as it would be later). */
    private List<Header> headersOrNull(MultivaluedMap<String, Object> headers) {
        try {
            return JaxrsHeaders.toList(headers);
        } catch (RuntimeException e) {
            faults.failed(e);
            return null;
        }
    }

    /** A Content-Type text and its parsed form (null when it must be replayed as text). */
    private record ReplayedType(String text, MediaType type) {
    }

    /** A miss whose body is to be captured by the writer interceptor. */
    private record PendingStore(Lookup lookup, int status) {
    }
}
