package dev.responsecache.testing;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/** Application response filters that want to run first: each adds a header line to every response. */
public final class LastResponseFilters {

    private LastResponseFilters() {
    }

    /** At {@code Integer.MAX_VALUE}, the priority of the cache's own first response filter. */
    @Priority(Integer.MAX_VALUE)
    public static final class AtMaxValue implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("X-Trace", "app");
        }
    }

    /** Without a priority of its own: registered with one. */
    public static final class Unprioritised implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("X-Trace", "app");
        }
    }

    /** Just below: runs after the cache's first response filter. */
    @Priority(Integer.MAX_VALUE - 1)
    public static final class JustBelow implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("X-Trace", "app");
        }
    }
}
