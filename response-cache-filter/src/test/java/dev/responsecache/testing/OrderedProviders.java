package dev.responsecache.testing;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.WriterInterceptor;
import jakarta.ws.rs.ext.WriterInterceptorContext;

import java.io.IOException;

/**
 * An application's providers that each add an {@code X-Order} line naming their priority, so that the response shows
 * the order the runtime ran them in. Outside the cache's package, which it takes for its own.
 */
public final class OrderedProviders {

    private OrderedProviders() {
    }

    /** No {@code @Priority}: the runtime's default, {@code USER}. */
    public static final class Unprioritised implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("X-Order", "user");
        }
    }

    @Priority(50)
    public static final class At50 implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            response.getHeaders().add("X-Order", "50");
        }
    }

    /** No {@code @Priority}; adds its line before the body is written. */
    public static final class UnprioritisedInterceptor implements WriterInterceptor {
        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            context.getHeaders().add("X-Order", "user");
            context.proceed();
        }
    }

    @Priority(50)
    public static final class InterceptorAt50 implements WriterInterceptor {
        @Override
        public void aroundWriteTo(WriterInterceptorContext context) throws IOException {
            context.getHeaders().add("X-Order", "50");
            context.proceed();
        }
    }
}
