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
 * The servlet has returned by then, so a client may hold the response a moment before the eviction ends (JAX-RS
 * evicts before the response is written).
 */
final class UnsafeRequests {

    private UnsafeRequests() {
    }

    static void forward(ResponseCache cache, HttpServletRequest request, HttpServletResponse response,
                        FilterChain chain) throws IOException, ServletException {
        chain.doFilter(request, response);
        if (request.isAsyncStarted()) {
            // An asynchronous servlet (a proxy servlet) has its status once it completes.
            request.getAsyncContext().addListener(new AsyncListener() {
                @Override
                public void onComplete(AsyncEvent event) {
                    evict(cache, request, response);
                }

                @Override
                public void onTimeout(AsyncEvent event) {
                    // nothing was changed, as far as the client knows
                }

                @Override
                public void onError(AsyncEvent event) {
                    // nothing was changed, as far as the client knows
                }

                @Override
                public void onStartAsync(AsyncEvent event) {
                    event.getAsyncContext().addListener(this);
                }
            });
            return;
        }
        evict(cache, request, response);
    }

    private static void evict(ResponseCache cache, HttpServletRequest request, HttpServletResponse response) {
        if (!Invalidations.evictsAfter(response.getStatus())) {
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
}
