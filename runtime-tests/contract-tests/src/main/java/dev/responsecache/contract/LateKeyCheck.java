package dev.responsecache.contract;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;

/**
 * An API-key check of the application's, placed late among its request filters ({@code USER + 2000}, above the
 * cache's default lookup priority): a request without {@code X-Api-Key} is refused with a 401.
 */
@Priority(Priorities.USER + 2000)
public class LateKeyCheck implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getHeaderString("X-Api-Key") == null) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED).entity("no key").build());
        }
    }
}
