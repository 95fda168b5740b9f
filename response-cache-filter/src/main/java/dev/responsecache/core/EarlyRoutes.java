package dev.responsecache.core;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * What a filter in front of the JAX-RS runtime needs to answer a JAX-RS entry without entering the runtime: for each
 * request path the JAX-RS adapter has stored a response for, the policy that keyed it and how it derives the
 * representation from the {@code Accept} header. Learned as entries are stored, so a path is known only once the
 * JAX-RS path itself has matched, authorized and cached it. Bounded: when full it is emptied and learned again,
 * which costs early hits for a moment, never correctness (an unknown path simply enters the runtime).
 */
public final class EarlyRoutes {

    static final int DEFAULT_CAPACITY = 10_000;

    /**
     * How the JAX-RS adapter keys one resource method.
     *
     * @param policy         the method's cache policy
     * @param representation the representation for an {@code Accept} header value (null when absent)
     */
    public record Route(CachePolicy policy, UnaryOperator<String> representation) {
        public Route {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(representation, "representation");
        }
    }

    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
    private final int capacity;

    EarlyRoutes(int capacity) {
        this.capacity = capacity;
    }

    /** Records the route of a path (as sent, still encoded) whose response was just stored. */
    public void learn(String rawPath, Route route) {
        if (routes.get(rawPath) == route) {
            return;
        }
        if (routes.size() >= capacity) {
            routes.clear();
        }
        routes.put(rawPath, route);
    }

    /** The route of a path, or null when the JAX-RS adapter has stored nothing for it (lately). */
    public Route find(String rawPath) {
        return routes.get(rawPath);
    }
}
