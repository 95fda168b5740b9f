package dev.responsecache.testing;

import jakarta.annotation.Priority;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

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

    /** Binds {@link BoundAtMaxValue} to the methods and classes carrying it. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface Traced {
    }

    /** Name-bound to {@link Traced} methods, at {@code Integer.MAX_VALUE}. */
    @Traced
    @Priority(Integer.MAX_VALUE)
    public static final class BoundAtMaxValue implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("X-Trace", "bound");
        }
    }

    /** Both filters at {@code Integer.MAX_VALUE}, for registering as a request filter only. */
    @Priority(Integer.MAX_VALUE)
    public static final class BothAtMaxValue implements ContainerRequestFilter, ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            // a request filter only, as registered
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("X-Trace", "both");
        }
    }
}
