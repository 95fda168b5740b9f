package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Configuration;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places a cached method's lookup after every application request filter that runs for the method. Request filters
 * run in ascending priority and a hit ends them: a filter above the lookup ran on misses only, so an API-key check at
 * {@code USER + 2000} was skipped by every hit and a request it rejects got the cached 200. The cache's request filters
 * of a method keep their order ({@link ApplicationPipeline}, the session probes, the lookup, the servlet response's
 * probe) and sit at {@link CachingFilter#LOOKUP_PRIORITY} unless an application filter that may run for the method
 * (global or name-bound; by {@code @Priority} or at registration) is at or above the first of them; then they move up together,
 * all above the highest such filter, which no longer ties with any of them. A filter too near {@code Integer.MAX_VALUE}
 * to be placed below them would tie with or follow the lookup: that method is not cached (a warning names the filter
 * and the method), which is always what the application answers, rather than failing an application whose filter is
 * correct JAX-RS and may come from a library it does not control.
 *
 * <p>The filters are those the runtime's configuration lists (the application's, the method's) and, on Jersey, those
 * its injection manager holds (a binder's too). A filter that an application's dynamic feature registers for the
 * method after the cache's is not known here.
 */
final class LookupPriority {

    /** What {@link #of} returns for a method no lookup can be placed after the filters of: it is not cached. */
    static final int NOT_CACHED = Integer.MIN_VALUE;
    /** The cache's request filters below the lookup ({@link ApplicationPipeline} at -2, the session probes at -1). */
    static final int BELOW = 2;
    /** And above it ({@link ServletResponseProbe} at +1). */
    static final int ABOVE = 1;
    /** The highest application priority the cache's request filters can all be placed above. */
    static final int HIGHEST_PLACEABLE = Integer.MAX_VALUE - ABOVE - BELOW - 1;

    /**
     * The runtime's own request filters that never answer a request: RESTEasy's, at {@code Integer.MAX_VALUE} in every
     * application, only hands a server-sent-events method its event sink, which a hit, answered without the method,
     * never needs. Named exactly, so that nothing of the application's can pass for it.
     */
    private static final Set<String> RUNTIME_OWN = Set.of(
            "org.jboss.resteasy.plugins.providers.sse.SseEventSinkInterceptor");

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");

    private LookupPriority() {
    }

    /**
     * @param owner the cached method, as the warning names it
     * @param ranked on Jersey, the request filters its injection manager holds and their priorities; else empty
     * @return the lookup's priority for the method, or {@link #NOT_CACHED} (warned)
     */
    static int of(String owner, Supplier<Map<Class<?>, Integer>> ranked, Configuration... configurations) {
        Highest highest = new Highest();
        for (Configuration configuration : configurations) {
            if (configuration == null) {
                continue;
            }
            for (Class<?> type : configuration.getClasses()) {
                consider(highest, configuration, type);
            }
            for (Object instance : configuration.getInstances()) {
                consider(highest, configuration,
                        instance instanceof Class<?> type ? type : instance.getClass());
            }
        }
        for (Map.Entry<Class<?>, Integer> filter : ranked.get().entrySet()) {
            if (runsAfterMatching(filter.getKey())) {
                highest.offer(filter.getKey(), filter.getValue());
            }
        }
        if (highest.type == null || highest.priority < CachingFilter.LOOKUP_PRIORITY - BELOW) {
            return CachingFilter.LOOKUP_PRIORITY;
        }
        if (highest.priority > HIGHEST_PLACEABLE) {
            LOG.warn(owner + " is not cached: the request filter " + highest.type.getName() + " at priority "
                    + highest.priority + " may run for it, and the cache's lookup cannot be placed after it (request"
                    + " filters run in ascending priority, and a hit ends them), so a hit would skip it. Give the"
                    + " filter a priority of at most " + HIGHEST_PLACEABLE + " to cache this method");
            return NOT_CACHED;
        }
        return highest.priority + BELOW + 1;
    }

    private static void consider(Highest highest, Configuration configuration, Class<?> type) {
        if (!runsAfterMatching(type)) {
            return;
        }
        Map<Class<?>, Integer> contracts = configuration.getContracts(type);
        if (!contracts.isEmpty() && !contracts.containsKey(ContainerRequestFilter.class)) {
            // Registered for other contracts only (a response filter that also implements this one): never run here.
            return;
        }
        highest.offer(type, PriorityTies.priority(configuration, type, ContainerRequestFilter.class));
    }

    /**
     * An application's request filter that may run for the method after matching, as the lookup does. A name-bound
     * one counts whatever the method carries: a binding annotation on the {@code Application} subclass binds it to
     * every method (JAX-RS 2.1, 6.5.2), and the application class is not shown to a dynamic feature. Counting it
     * where it does not run only places that method's lookup higher, among filters that do not run for it either.
     */
    private static boolean runsAfterMatching(Class<?> type) {
        return ContainerRequestFilter.class.isAssignableFrom(type) && !type.isAnnotationPresent(PreMatching.class)
                && !PreMatchingHits.own(type) && !RUNTIME_OWN.contains(type.getName());
    }

    private static final class Highest {
        private Class<?> type;
        private int priority;

        void offer(Class<?> candidate, int candidatePriority) {
            if (type == null || candidatePriority > priority) {
                type = candidate;
                priority = candidatePriority;
            }
        }
    }
}
