package dev.responsecache.testing;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/**
 * An application response filter at priority 50: after the cache's filter at 100, before its last one at 1. It
 * judges the entity the method returned: a {@code "hidden …"} text is answered {@code 403} with it; and the entity
 * of a request that sends {@link #DROP} is taken away. Outside the cache's package, which it takes for its own.
 */
@Priority(50)
public final class LateReplacingFilter implements ContainerResponseFilter {
    /** The request header that has the response's entity taken away. */
    public static final String DROP = "X-Drop-Entity";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof String text && text.startsWith("hidden")) {
            response.setStatus(403);
        } else if (request.getHeaderString(DROP) != null) {
            response.setEntity(null);
        }
    }
}
