package dev.responsecache.sample;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import java.security.Principal;

/**
 * Demo only: {@code Authorization: Bearer <name>} logs in as {@code <name>}; {@code /me/*} requires a user. Real
 * applications validate a token here; the cache's lookup runs after this filter, so it never answers a request this
 * filter rejects.
 */
@Priority(Priorities.AUTHENTICATION)
public final class DemoAuthenticationFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.startsWith("Bearer ") && authorization.length() > 7) {
            String user = authorization.substring(7).trim();
            request.setSecurityContext(new UserContext(user));
        } else if (request.getUriInfo().getPath().startsWith("me")) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        }
    }

    private record UserContext(String user) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return () -> user;
        }

        @Override
        public boolean isUserInRole(String role) {
            return false;
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
