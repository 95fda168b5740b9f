package dev.responsecache.jaxrs;

import dev.responsecache.core.ErrorFallback;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Stale-if-error for JAX-RS: a 5xx response of a missed request (returned by the method, or mapped from its
 * exception) is replaced, before any other response filter sees it, by the stale entry of the same key, so that the
 * application's filters and encoders treat it exactly as they treat a hit.
 */
final class StaleReplacement {

    /** Request property holding the answer that replaced the error. */
    static final String ANSWER = "dev.responsecache.stale-answer";

    private StaleReplacement() {
    }

    /** Whether the response was replaced; the answer is then under {@link #ANSWER}. */
    static boolean replaced(ResponseCache cache, Lookup lookup, ContainerRequestContext request,
                            ContainerResponseContext response, Function<Lookup, Response> replay) {
        if (response.getStatus() < 500) {
            return false;
        }
        // Counted as answered stale once written (CachingFilter.leftToTheFilterInFront): the runtime writes it.
        Lookup answer = cache.staleOnErrorCountedWhenWritten(lookup, response.getStatus());
        if (answer == null) {
            return false;
        }
        Response stored;
        try {
            stored = replay.apply(answer);
        } catch (RuntimeException unbuilt) {
            answer.notWritten();
            throw unbuilt;
        }
        response.getHeaders().clear();
        for (Map.Entry<String, List<Object>> header : stored.getHeaders().entrySet()) {
            response.getHeaders().put(header.getKey(), header.getValue());
        }
        response.setStatus(stored.getStatus());
        response.setEntity(stored.hasEntity() ? stored.getEntity() : null);
        request.setProperty(ANSWER, answer);
        CachingFilter.leftToTheFilterInFront(cache, answer, request);
        if (request.getProperty(ErrorFallback.ATTRIBUTE) instanceof ErrorFallback fallback) {
            // The runtime may still fail the response after the filters (Jersey, for an unmapped exception).
            fallback.answered(answer);
        }
        return true;
    }
}
