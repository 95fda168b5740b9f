package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.RuntimeWrittenHit;
import dev.responsecache.spi.Header;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Revalidation in the header-driven mode for JAX-RS (RFC 9111 4.3): a miss whose stale entry has a validator runs
 * the method with {@code If-None-Match}/{@code If-Modified-Since} for that entry added to the request headers it sees
 * (a method that calls {@code Request#evaluatePreconditions} answers 304 when nothing changed). Its 304 never
 * reaches the client: before any other response filter, the stored entry refreshed with the 304's headers
 * (RFC 9111 4.3.4) replaces it, so the application's filters and encoders treat it as they treat a hit. Any other
 * response is a miss's, stored as usual.
 */
final class JaxrsRevalidation {

    /**
     * Request property: the conditions this request carries were added by the cache, not sent by the client; holds
     * the client's own {@code If-None-Match} / {@code If-Modified-Since}, put back for the answer to evaluate.
     */
    private static final String ADDED = "dev.responsecache.revalidating";
    private static final List<String> CLIENT_CONDITIONS = List.of(HttpHeaders.IF_NONE_MATCH,
            HttpHeaders.IF_MODIFIED_SINCE);
    /** Request property holding the answer that replaced the 304. */
    static final String ANSWER = "dev.responsecache.revalidated";

    private JaxrsRevalidation() {
    }

    /**
     * Adds the stale entry's validators to the request headers of a header-driven miss (or background refresh); does
     * nothing for a request that carries a range or a precondition other than {@code If-None-Match} and
     * {@code If-Modified-Since} (those of the client are replaced, and answered by the revalidated entry), or has
     * nothing to revalidate.
     */
    static void addConditions(ContainerRequestContext request, Lookup lookup) {
        List<Header> conditions = lookup.refreshesByHeaders() ? lookup.refreshConditionalHeaders()
                : lookup.conditionalHeaders();
        if (conditions.isEmpty()) {
            return;
        }
        // The cache's validators replace the client's own, which the revalidated entry answers.
        Map<String, List<String>> client = new HashMap<>();
        for (String name : CLIENT_CONDITIONS) {
            List<String> values = request.getHeaders().remove(name);
            if (values != null) {
                client.put(name, values);
            }
        }
        for (Header condition : conditions) {
            request.getHeaders().putSingle(condition.name(), condition.value());
        }
        request.setProperty(ADDED, new ClientConditions(client));
    }

    /** Whether the method's 304 was replaced by the revalidated entry; the answer is then under {@link #ANSWER}. */
    static boolean replaced(ResponseCache cache, Lookup lookup, ContainerRequestContext request,
                            ContainerResponseContext response, JaxrsHeaders text,
                            Function<Lookup, Response> replay) {
        if (request.getProperty(ADDED) == null
                || response.getStatus() != Response.Status.NOT_MODIFIED.getStatusCode()) {
            return false;
        }
        Object client = request.getProperty(ADDED);
        request.removeProperty(ADDED);
        CLIENT_CONDITIONS.forEach(request.getHeaders()::remove);
        if (client instanceof ClientConditions kept) {
            kept.headers().forEach(request.getHeaders()::put);
        }
        // A revalidated entry is stored again: with the tags the method gave this response, as a 200's would be.
        lookup.addTags(request.getProperty(ResponseCacheInvalidator.RESPONSE_TAGS));
        Lookup answer = cache.revalidated(lookup, text.toList(response.getHeaders()));
        Response stored = replay.apply(answer);
        response.getHeaders().clear();
        for (Map.Entry<String, List<Object>> header : stored.getHeaders().entrySet()) {
            response.getHeaders().put(header.getKey(), header.getValue());
        }
        response.setStatus(stored.getStatus());
        response.setEntity(stored.hasEntity() ? stored.getEntity() : null);
        request.setProperty(ANSWER, answer);
        request.setProperty(RuntimeWrittenHit.ATTRIBUTE, new RuntimeWrittenHit(cache, answer));
        return true;
    }

    /** The client's own conditions, taken off the request while the method sees the cache's. */
    private record ClientConditions(Map<String, List<String>> headers) {
    }
}
