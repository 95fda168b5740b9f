package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.WriterInterceptor;

/**
 * Tells the cache whether the application has response filters or writer interceptors of its own (a CORS filter,
 * Jersey's {@code EncodingFilter} and encoders, name-bound or not). A JAX-RS hit goes through them again; an early
 * hit, answered by the servlet filter before the runtime, would not, so early hits are only learned for an
 * application without any. Reads the runtime's configuration once, on the first request.
 */
final class ApplicationPipeline implements ContainerRequestFilter {

    static final String PROPERTY = "dev.responsecache.transparent";

    @Context
    private Configuration configuration;
    private volatile Boolean transparent;

    @Override
    public void filter(ContainerRequestContext request) {
        Boolean known = transparent;
        if (known == null) {
            known = configuration != null && transparent(configuration);
            transparent = known;
        }
        request.setProperty(PROPERTY, known);
    }

    private static boolean transparent(Configuration configuration) {
        for (Class<?> type : configuration.getClasses()) {
            if (foreign(type)) {
                return false;
            }
        }
        for (Object instance : configuration.getInstances()) {
            if (foreign(instance.getClass())) {
                return false;
            }
        }
        return true;
    }

    private static boolean foreign(Class<?> type) {
        return (ContainerResponseFilter.class.isAssignableFrom(type) || WriterInterceptor.class.isAssignableFrom(type))
                && type.getPackage() != ApplicationPipeline.class.getPackage();
    }
}
