package dev.responsecache.jaxrs;

import jakarta.ws.rs.core.Configuration;

import java.util.function.BooleanSupplier;

/**
 * Whether no response filter or writer interceptor but the cache's own applies to one resource method, counting those
 * registered for the method alone. A dynamic feature registers there (RESTEasy's built-in features add a
 * {@code Cache-Control} response filter to a method annotated {@code @Cache} or {@code @NoCache}, and a
 * {@code Content-Encoding} writer interceptor to one annotated {@code @GZIP} or {@code @ContentEncoding}), and what it
 * adds runs on a hit inside the runtime but not on one answered before matching or in front of the runtime, and may
 * depend on the request (a gzip client's encoding), which the stored response of an identity client does not show:
 * such a method's paths are not learned as early routes. Request filters are the application-wide checks' concern
 * ({@link PreMatchingHits} admits no dynamic feature that could bind one). Read from the configuration the runtime
 * hands the cache's dynamic feature for that method (on RESTEasy it lists the application's providers too), once,
 * when the method first stores an entry (every dynamic feature has configured the method by then). Fails closed: a
 * configuration it cannot read means something else may run.
 */
final class MethodProviders implements BooleanSupplier {

    private final Configuration method;
    private volatile Boolean onlyOwn;

    MethodProviders(Configuration method) {
        this.method = method;
    }

    @Override
    public boolean getAsBoolean() {
        Boolean known = onlyOwn;
        if (known == null) {
            known = onlyOwn(method);
            onlyOwn = known;
        }
        return known;
    }

    private static boolean onlyOwn(Configuration method) {
        if (method == null) {
            return false;
        }
        try {
            for (Class<?> type : method.getClasses()) {
                if (ApplicationPipeline.foreign(type)) {
                    return false;
                }
            }
            for (Object instance : method.getInstances()) {
                if (ApplicationPipeline.foreign(instance instanceof Class<?> type ? type : instance.getClass())) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
