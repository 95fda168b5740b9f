package dev.responsecache.jaxrs;

import dev.responsecache.core.Invalidations;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.spi.FaultLog;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.function.Function;

/**
 * Runs before every other response filter and records the response of a miss that may be stored. A header the
 * runtime cannot format (a user value whose {@code toString} throws) records nothing, so nothing is stored.
 */
final class SnapshotFilter implements ContainerResponseFilter {

    private final ResponseCache cache;
    /** How the runtime writes header value objects, for the headers read as text. */
    private final JaxrsHeaders text;
    private final FaultLog faults;
    /** How a hit is answered, for the revalidated and the stale answers that replace the response. */
    private final Function<Lookup, Response> replayer;

    SnapshotFilter(ResponseCache cache, JaxrsHeaders text, FaultLog faults, Function<Lookup, Response> replayer) {
        this.cache = cache;
        this.text = text;
        this.faults = faults;
        this.replayer = replayer;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(CachingFilter.LOOKUP) instanceof Lookup lookup)) {
            return;
        }
        takeTagHeader(lookup, response);
        if (!lookup.answered()) {
            // Not on a hit (on RESTEasy a thread-local lookup and a map read saved): the method did not run, and
            // what a filter in front of the lookup selected the miss adopted, so the entry replays it.
            adoptVaryBesideTheResponse(request, response);
        }
        if (JaxrsRevalidation.replaced(cache, lookup, request, response, text, replayer)) {
            request.setProperty(CachingFilter.LOOKUP, request.getProperty(JaxrsRevalidation.ANSWER));
            return;
        }
        if (lookup.hasStaleOnError() && StaleReplacement.replaced(cache, lookup, request, response, replayer)) {
            request.setProperty(CachingFilter.LOOKUP, request.getProperty(StaleReplacement.ANSWER));
            return;
        }
        if (!lookup.mayStore()) {
            return;
        }
        try {
            request.setProperty(CachingFilter.PRODUCED,
                    new ProducedResponse(response.getStatus(), text.toList(response.getHeaders()),
                            response.getEntity(), response.getEntityAnnotations()));
        } catch (RuntimeException e) {
            faults.failed(e);
        }
    }

    /**
     * Makes a {@code Vary} the runtime put beside the JAX-RS response (RESTEasy's {@code Request.selectVariant})
     * part of the response the method produced: the entry is then matched on those headers, and a hit sends them
     * again. Left where it was, no hit knew of it (a German page answered a French visitor), and the runtime wrote
     * the response's own {@code Vary} (the cache's names) over it, so that downstream caches never saw it either.
     */
    private static void adoptVaryBesideTheResponse(ContainerRequestContext request,
                                                   ContainerResponseContext response) {
        List<String> beside = RuntimeIntegration.varyBesideTheResponse(request);
        if (beside.isEmpty()) {
            return;
        }
        List<String> own = response.getStringHeaders().get(HttpHeaders.VARY);
        for (String line : beside) {
            if (own == null || !own.contains(line)) {
                response.getHeaders().add(HttpHeaders.VARY, line);
            }
        }
        request.setProperty(ServletResponseView.RUNTIME_VARY, beside);
    }

    /** Takes the tag header off the response (never sent, never stored) and tags the entry with it. */
    private void takeTagHeader(Lookup lookup, ContainerResponseContext response) {
        String name = cache.tagHeader();
        if (name == null) {
            return;
        }
        List<Object> values = response.getHeaders().remove(name);
        if (values != null) {
            for (Object value : values) {
                if (value != null) {
                    lookup.addTags(Invalidations.headerTags(text.text(value)));
                }
            }
        }
    }
}
