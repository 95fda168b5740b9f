package dev.responsecache.testing;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;

/**
 * An application's providers at priority 1, the lowest Jersey takes at registration: each adds a visitor cookie
 * named after the response's {@code X-Visit}. Outside the cache's package, which it takes for its own.
 */
public final class LowestPriorityCookies {

    private LowestPriorityCookies() {
    }

    /** A response filter: runs after any other (response filters run in descending priority). */
    @Priority(1)
    public static final class Filter implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("Set-Cookie", "visitor=" + response.getHeaders().getFirst("X-Visit"));
        }
    }

    /** A writer interceptor: around any other (ascending), adding the cookie once the body is written. */
    @Priority(1)
    public static final class Interceptor implements WriterInterceptor {
        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            context.proceed();
            context.getHeaders().add("Set-Cookie", "visitor=" + context.getHeaders().getFirst("X-Visit"));
        }
    }
}
