package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheConfigException;

import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.ext.WriterInterceptor;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * Refuses, as the application starts, an application response filter at {@link CachingFilter#SNAPSHOT_PRIORITY}
 * bound to a cached method. The snapshot must be the first response filter: it records the headers to store, which
 * every hit replays through the application's filters again. At the same priority the runtime may run either first,
 * and a filter that ran first is stored and applied once more on every hit (a header it adds is sent twice). No
 * priority runs before {@code Integer.MAX_VALUE}, so the tie cannot be broken in the cache's favour. A filter at that
 * priority name-bound only to methods the cache does not store ties with nothing, and starts.
 *
 * <p>At the other end, an application response filter at {@link CachingFilter#VERDICT_PRIORITY} or below bound to a
 * cached method: the cache's last filter stores a response without an entity once every line is on it, and a line
 * such a filter added after it would not be judged (a {@code Set-Cookie}, a {@code Cache-Control: private}, a
 * {@code Vary}). The cache's filter cannot be placed lower (Jersey ignores a priority below 1 given at registration):
 * such a method is left uncached, with a warning ({@link #atTheLast}), so that the application answers as without
 * the cache.
 */
final class PriorityTies {

    /** What Jersey's configuration reports for a class registered without a priority: read its {@code @Priority}. */
    private static final int NO_PRIORITY = -1;
    static final String JERSEY = "org.glassfish.jersey.";
    static final String RESTEASY = "org.jboss.resteasy.";

    private PriorityTies() {
    }

    /**
     * @param owner the cached method, as errors name it
     * @param configurations where the runtime shows the application's filters (its own, the method's)
     * @throws ResponseCacheConfigException naming the first response filter bound to the method that ties with the
     *         snapshot, and the method
     */
    static void refuse(String owner, Method method, Class<?> resource, Configuration... configurations) {
        for (Configuration configuration : configurations) {
            if (configuration == null) {
                continue;
            }
            for (Class<?> type : configuration.getClasses()) {
                check(owner, method, resource, configuration, type);
            }
            for (Object instance : configuration.getInstances()) {
                check(owner, method, resource, configuration, instance.getClass());
            }
        }
    }

    /**
     * The first application response filter or writer interceptor bound to the method at
     * {@link CachingFilter#VERDICT_PRIORITY} or below, or null: it runs after the cache's last filter (response
     * filters run in descending order), or around its outermost interceptor (writer interceptors, ascending).
     *
     * @param configurations where the runtime shows the application's filters (its own, the method's)
     */
    static Class<?> atTheLast(Method method, Class<?> resource, Configuration... configurations) {
        for (Configuration configuration : configurations) {
            if (configuration == null) {
                continue;
            }
            for (Class<?> type : configuration.getClasses()) {
                if (atOrBelowTheLast(method, resource, configuration, type)) {
                    return type;
                }
            }
            for (Object instance : configuration.getInstances()) {
                if (atOrBelowTheLast(method, resource, configuration, instance.getClass())) {
                    return instance.getClass();
                }
            }
        }
        return null;
    }

    private static boolean atOrBelowTheLast(Method method, Class<?> resource, Configuration configuration,
                                            Class<?> type) {
        for (Class<?> contract : List.of(ContainerResponseFilter.class, WriterInterceptor.class)) {
            Integer priority = priorityFor(method, resource, configuration, type, contract);
            if (priority != null && priority <= CachingFilter.VERDICT_PRIORITY) {
                return true;
            }
        }
        return false;
    }

    /** The priority {@code type} runs at as the application's {@code contract} for the method; null when it does not. */
    private static Integer priorityFor(Method method, Class<?> resource, Configuration configuration, Class<?> type,
                                       Class<?> contract) {
        if (!contract.isAssignableFrom(type) || ApplicationPipeline.own(type) || !boundTo(type, method, resource)) {
            return null;
        }
        Map<Class<?>, Integer> contracts = configuration.getContracts(type);
        if (!contracts.isEmpty() && !contracts.containsKey(contract)) {
            // Registered for other contracts only (a request filter that also implements this one): never run here.
            return null;
        }
        return priority(configuration, type, contract);
    }

    private static void check(String owner, Method method, Class<?> resource, Configuration configuration,
                              Class<?> type) {
        Integer priority = priorityFor(method, resource, configuration, type, ContainerResponseFilter.class);
        if (priority != null && priority == CachingFilter.SNAPSHOT_PRIORITY) {
            throw new ResponseCacheConfigException(type.getName() + ": a ContainerResponseFilter at priority "
                    + priority + " (Integer.MAX_VALUE), bound to the cached method " + owner + ", ties with the"
                    + " response cache's first response filter, which records the headers to store; the runtime may"
                    + " run either first, and a change this filter made first would be stored and made again on every"
                    + " hit. Give it a lower priority (it then runs after the cache's, on hits as on misses)");
        }
    }

    /**
     * Whether the filter runs for the method: a global one does; a name-bound one when the method or its class
     * carries each of its binding annotations (JAX-RS 2.1, 6.5.2).
     */
    private static boolean boundTo(Class<?> type, Method method, Class<?> resource) {
        for (Annotation annotation : type.getAnnotations()) {
            Class<? extends Annotation> binding = annotation.annotationType();
            if (binding.isAnnotationPresent(NameBinding.class) && !method.isAnnotationPresent(binding)
                    && !resource.isAnnotationPresent(binding)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The priority {@code type} runs at as a {@code contract}, read as the runtime whose configuration it is reads a
     * priority given at registration. Jersey ranks a provider by it only when it is above 0: at 0 or below (a
     * {@code register(X.class, 0)}) the provider runs at its {@code @Priority}, else {@code USER}
     * ({@code RankedProvider}); its configuration reports the priority as given. RESTEasy honours any but -1 in
     * {@code register(X.class, -1)}, -1 in a contract map included, and its configuration reports the priority it runs
     * at. Another runtime: the priority given, as JAX-RS says, unless it is -1.
     */
    static int priority(Configuration configuration, Class<?> type, Class<?> contract) {
        Integer given = configuration.getContracts(type).get(contract);
        if (given == null) {
            return annotatedPriority(type);
        }
        if (isOf(configuration, JERSEY)) {
            return given > 0 ? given : annotatedPriority(type);
        }
        if (isOf(configuration, RESTEASY)) {
            return given;
        }
        return given != NO_PRIORITY ? given : annotatedPriority(type);
    }

    /**
     * Whether the configuration is the runtime's of that package, read by name (the cache imports no runtime here):
     * its class or a superclass, an application's {@code ResourceConfig} subclass being Jersey's.
     */
    static boolean isOf(Configuration configuration, String runtime) {
        for (Class<?> type = configuration.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().startsWith(runtime)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value of the class's {@code @jakarta.annotation.Priority}, read by name: the annotation API is the
     * runtime's, not a dependency of the cache. {@link Priorities#USER} without one, as the runtimes default.
     */
    private static int annotatedPriority(Class<?> type) {
        for (Annotation annotation : type.getAnnotations()) {
            if (annotation.annotationType().getName().equals("jakarta.annotation.Priority")) {
                try {
                    return (Integer) annotation.annotationType().getMethod("value").invoke(annotation);
                } catch (ReflectiveOperationException | ClassCastException e) {
                    return Priorities.USER;
                }
            }
        }
        return Priorities.USER;
    }
}
