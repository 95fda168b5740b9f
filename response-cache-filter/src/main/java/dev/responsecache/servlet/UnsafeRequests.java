package dev.responsecache.servlet;

import dev.responsecache.core.Invalidations;
import dev.responsecache.core.ResponseCache;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * RFC 9111 4.4 for the servlets behind the filter: once a POST, PUT, PATCH or DELETE has been handled with a 2xx or
 * 3xx status, its path and the same-origin paths of its {@code Location} and {@code Content-Location} are evicted.
 * The servlet has returned by then (an asynchronous one has completed); a response the container may send earlier
 * (flushed, or its body past the buffer or at its Content-Length, or an asynchronous one completed or dispatched) is
 * evicted for before that too, so a client that holds the answer never reads the entry it condemned (as JAX-RS evicts
 * before the response is written).
 */
final class UnsafeRequests {

    private UnsafeRequests() {
    }

    static void forward(ResponseCache cache, HttpServletRequest request, HttpServletResponse response,
                        FilterChain chain) throws IOException, ServletException {
        Runnable eviction = () -> evictAfter(cache, request, response);
        EvictingBeforeCommit answer = new EvictingBeforeCommit(response, request, eviction);
        // An asynchronous servlet writes through the evicting response too, and evicts before it completes.
        chain.doFilter(new EvictingAsyncRequest(request, answer, eviction), answer);
        if (request.isAsyncStarted()) {
            // Its status is known when it completes (never after a timeout or an error, which evict nothing).
            request.getAsyncContext().addListener(new Completion(cache, request, response));
            return;
        }
        // Also when evicted before the servlet returned: it may have changed more after answering.
        evictAfter(cache, request, response);
    }

    private static void evictAfter(ResponseCache cache, HttpServletRequest request, HttpServletResponse response) {
        if (!Invalidations.evictsAfter(response.getStatus())
                || request.getAttribute(Invalidations.ROUTED_AS_READ) != null) {
            // A POST the JAX-RS runtime behind routed to a cached GET method (X-HTTP-Method-Override): a read.
            return;
        }
        Set<String> evicted = new LinkedHashSet<>();
        evicted.add(Invalidations.pathTag(request.getRequestURI()));
        URI requestUri;
        try {
            requestUri = URI.create(request.getRequestURL().toString());
        } catch (IllegalArgumentException unparsable) {
            requestUri = null;
        }
        if (requestUri != null) {
            for (String header : List.of("Location", "Content-Location")) {
                String tag = Invalidations.sameOriginPathTag(requestUri, response.getHeader(header));
                if (tag != null) {
                    evicted.add(tag);
                }
            }
        }
        cache.evictQuietly(evicted);
    }

    private static final class Completion implements AsyncListener {

        private final ResponseCache cache;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        /** A timeout or an error: whatever status the response shows at completion, nothing is evicted. */
        private volatile boolean failed;

        Completion(ResponseCache cache, HttpServletRequest request, HttpServletResponse response) {
            this.cache = cache;
            this.request = request;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            if (!failed) {
                evictAfter(cache, request, response);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            failed = true;
        }

        @Override
        public void onError(AsyncEvent event) {
            failed = true;
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // A new asynchronous cycle drops its listeners: stay registered to evict when it completes.
            event.getAsyncContext().addListener(this);
        }
    }
}
