package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheConfigException;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Configuration;

import java.lang.annotation.Annotation;

/**
 * Refuses, as the application starts, an application response filter at {@link CachingFilter#SNAPSHOT_PRIORITY}.
 * The snapshot must be the first response filter: it records the headers to store, which every hit replays through
 * the application's filters again. At the same priority the runtime may run either first, and a filter that ran
 * first is stored and applied once more on every hit (a header it adds is sent twice). No priority runs before
 * {@code Integer.MAX_VALUE}, so the tie cannot be broken in the cache's favour.
 */
final class PriorityTies {

    /** What Jersey's configuration reports for a class registered without a priority: read its {@code @Priority}. */
    private static final int NO_PRIORITY = -1;

    private PriorityTies() {
    }

    /** @throws ResponseCacheConfigException naming the first response filter that ties with the snapshot */
    static void refuse(Configuration configuration) {
        for (Class<?> type : configuration.getClasses()) {
            check(configuration, type);
        }
        for (Object instance : configuration.getInstances()) {
            check(configuration, instance.getClass());
        }
    }

    private static void check(Configuration configuration, Class<?> type) {
        if (!ContainerResponseFilter.class.isAssignableFrom(type) || ApplicationPipeline.own(type)) {
            return;
        }
        int priority = priority(configuration, type);
        if (priority == CachingFilter.SNAPSHOT_PRIORITY) {
            throw new ResponseCacheConfigException(type.getName() + ": a ContainerResponseFilter at priority "
                    + priority + " (Integer.MAX_VALUE) ties with the response cache's first response filter, which"
                    + " records the headers to store; the runtime may run either first, and a change this filter made"
                    + " first would be stored and made again on every hit. Give it a lower priority (it then runs after"
                    + " the cache's, on hits as on misses)");
        }
    }

    private static int priority(Configuration configuration, Class<?> type) {
        Integer given = configuration.getContracts(type).get(ContainerResponseFilter.class);
        if (given != null && given != NO_PRIORITY) {
            return given;
        }
        return annotatedPriority(type);
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
