package dev.responsecache.jaxrs;

import dev.responsecache.core.PurgeAccess;
import dev.responsecache.core.ResponseCache;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.net.URI;

/**
 * Answers {@code PURGE <url>} when purging is on ({@code responsecache.purge-token} / {@code purge-role}): evicts
 * that URL's entries. Pre-matching, since no resource method takes {@code PURGE}; after the application's
 * authentication filters, so that a role they establish counts.
 */
@PreMatching
final class PurgeFilter implements ContainerRequestFilter {

    private final ResponseCache cache;

    private PurgeFilter(ResponseCache cache) {
        this.cache = cache;
    }

    /** Registers the filter when purging is configured; otherwise {@code PURGE} is the application's. */
    static void registerIfOn(FeatureContext context, ResponseCache cache) {
        if (cache.purgeAccess().enabled()) {
            context.register(new PurgeFilter(cache), Priorities.AUTHORIZATION);
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!"PURGE".equals(request.getMethod())) {
            return;
        }
        PurgeAccess access = cache.purgeAccess();
        SecurityContext security = request.getSecurityContext();
        boolean authenticated = security != null && security.getUserPrincipal() != null;
        int refusal = access.refusal(request.getHeaderString(HttpHeaders.AUTHORIZATION), authenticated,
                role -> security.isUserInRole(role));
        PurgeAccess.Reply reply;
        Response.ResponseBuilder answer;
        if (refusal != 0) {
            reply = PurgeAccess.refused(refusal);
            answer = Response.status(refusal);
            if (refusal == 401 && access.challenge() != null) {
                answer.header(HttpHeaders.WWW_AUTHENTICATE, access.challenge());
            }
        } else {
            URI requested = request.getUriInfo().getRequestUri();
            reply = PurgeAccess.purge(cache.invalidator(), requested);
            answer = Response.status(reply.status());
        }
        request.abortWith(answer.header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(reply.body()).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build());
    }
}
