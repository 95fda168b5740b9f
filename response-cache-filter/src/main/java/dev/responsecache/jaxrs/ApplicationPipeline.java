package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.WriterInterceptor;

import java.util.function.BooleanSupplier;

/**
 * Tells the cache whether the application has response filters or writer interceptors of its own (a CORS filter,
 * Jersey's {@code EncodingFilter} and encoders, name-bound or not). A JAX-RS hit goes through them again; an early
 * hit, answered by the servlet filter before the runtime, would not, so early hits are only learned for an
 * application without any. Reads the runtime's configuration once, on the first request. Public only because
 * RESTEasy constructs the providers registered by class; {@link ResponseCacheFeature} registers it, applications never.
 */
public final class ApplicationPipeline implements ContainerRequestFilter {

    static final String PROPERTY = "dev.responsecache.transparent";
    /**
     * Whether the application may have a writer interceptor of its own, which can add a header line once the body is
     * written, where Jersey still sends it (a body within its buffer is committed only after every interceptor):
     * {@link CachingFilter} then judges the lines and stores after the outermost interceptor.
     */
    static final String INTERCEPTED = "dev.responsecache.intercepted";
    /**
     * RESTEasy registers this response filter in every application. It rewrites only the entity of a 400 response
     * (escaping HTML), so it is transparent for every other status, and no early route is learned from a 400.
     */
    static final String RESTEASY_SANITIZER =
            "org.jboss.resteasy.plugins.interceptors.MessageSanitizerContainerResponseFilter";
    static final int SANITIZED_STATUS = 400;
    /**
     * On Jersey, the configuration property holding whether its injection manager, which builds the chains and
     * holds more than the configuration lists, has no response filter or writer interceptor but the cache's own.
     */
    static final String JERSEY_RESPONSE_SIDE = "dev.responsecache.jersey-response-side-own";

    @Context
    private Configuration configuration;
    private volatile Boolean transparent;
    private volatile Boolean intercepted;

    /**
     * Not for application use: public only because the cache registers this filter by class (so that the runtime
     * injects its {@code @Context} field) and RESTEasy constructs such a provider through a public constructor of
     * a public class.
     */
    public ApplicationPipeline() {
        // the runtime injects the @Context field
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Boolean known = transparent;
        if (known == null) {
            known = configuration != null && transparent(configuration);
            transparent = known;
        }
        request.setProperty(PROPERTY, known);
        Boolean interceptors = intercepted;
        if (interceptors == null) {
            interceptors = configuration == null || intercepted(configuration);
            intercepted = interceptors;
        }
        if (interceptors) {
            // Only then: the property's absence says no, and an application without interceptors pays no write.
            request.setProperty(INTERCEPTED, Boolean.TRUE);
        }
    }

    /**
     * Whether a writer interceptor not the cache's may run: one the configuration lists, or, on Jersey, anything of
     * the response side its injection manager holds beside the cache's (a binder's interceptor is only there).
     */
    private static boolean intercepted(Configuration configuration) {
        if (configuration.getProperty(JERSEY_RESPONSE_SIDE) instanceof BooleanSupplier onlyOwn
                && !onlyOwn.getAsBoolean()) {
            return true;
        }
        for (Class<?> type : configuration.getClasses()) {
            if (WriterInterceptor.class.isAssignableFrom(type) && !own(type)) {
                return true;
            }
        }
        for (Object instance : configuration.getInstances()) {
            if (instance instanceof WriterInterceptor && !own(instance.getClass())) {
                return true;
            }
        }
        return false;
    }

    private static boolean transparent(Configuration configuration) {
        boolean managerRead = false;
        if (configuration.getProperty(JERSEY_RESPONSE_SIDE) instanceof BooleanSupplier onlyOwn) {
            if (!onlyOwn.getAsBoolean()) {
                return false;
            }
            managerRead = true;
        }
        for (Class<?> type : configuration.getClasses()) {
            if (foreign(type, managerRead)) {
                return false;
            }
        }
        for (Object instance : configuration.getInstances()) {
            if (foreign(instance.getClass(), managerRead)) {
                return false;
            }
        }
        return true;
    }

    /** One of the cache's own components, or the runtime's that changes no cached response. */
    static boolean own(Class<?> type) {
        return type.getPackage() == ApplicationPipeline.class.getPackage() || type.getName().equals(RESTEASY_SANITIZER);
    }

    private static boolean foreign(Class<?> type, boolean managerRead) {
        // A binder's filters are not in the configuration (see PreMatchingHits): it may bind a response filter, which
        // only the read of Jersey's injection manager sees.
        return (ContainerResponseFilter.class.isAssignableFrom(type) || WriterInterceptor.class.isAssignableFrom(type)
                || !managerRead && PreMatchingHits.injectionBinder(type)) && !own(type);
    }
}
