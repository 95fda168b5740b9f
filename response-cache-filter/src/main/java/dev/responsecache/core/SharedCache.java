package dev.responsecache.core;

import java.util.Objects;
import java.util.function.Function;

/**
 * The one cache of a web application, shared by every component that caches in it (each servlet filter and the
 * JAX-RS feature), so that they use one store rather than one each. The first component to start opens it from its
 * configuration; each later one joins it; the last to stop closes it. Reference counting rather than a context
 * listener: a listener cannot portably be added once the application is starting, and every component has its own
 * stop callback ({@code Filter.destroy}, Jersey's container shutdown) to leave with.
 */
public final class SharedCache {

    /** The attribute of the application scope under which the shared cache is kept. */
    public static final String ATTRIBUTE = SharedCache.class.getName();

    /** One lock for the JVM: joining and leaving happen only at start-up and shutdown. */
    private static final Object LOCK = new Object();

    private final ResponseCache cache;
    private int members;

    private SharedCache(ResponseCache cache) {
        this.cache = cache;
    }

    /**
     * The configuration a component reads, in order of precedence: system properties, the component's own properties
     * (for the JAX-RS feature, the application's), then the application scope's parameters and, for programmatic
     * values such as a {@link java.time.Clock}, its attributes.
     */
    public static PropertyValues properties(ApplicationScope scope, Function<String, Object> component) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(component, "component");
        return new PropertyValues(name -> {
            Object value = System.getProperty(name);
            if (value == null) {
                value = component.apply(name);
            }
            if (value == null) {
                value = scope.initParameter(name);
            }
            return value != null ? value : scope.attribute(name);
        });
    }

    /**
     * Joins the application's cache, opening it from {@code properties} when no component has yet.
     *
     * @return the membership, or null when caching is disabled ({@code responsecache.enabled=false})
     * @throws dev.responsecache.ResponseCacheConfigException when the cache has to be opened and a value is bad
     */
    public static Membership join(ApplicationScope scope, PropertyValues properties) {
        synchronized (LOCK) {
            SharedCache shared = scope.attribute(ATTRIBUTE) instanceof SharedCache existing ? existing : null;
            if (shared == null) {
                ResponseCache cache = ResponseCache.start(properties);
                if (cache == null) {
                    return null;
                }
                shared = new SharedCache(cache);
                scope.setAttribute(ATTRIBUTE, shared);
            }
            shared.members++;
            return new Membership(scope, shared);
        }
    }

    /** The number of components currently using the cache kept in {@code scope}; 0 when there is none. */
    public static int members(ApplicationScope scope) {
        synchronized (LOCK) {
            return scope.attribute(ATTRIBUTE) instanceof SharedCache shared ? shared.members : 0;
        }
    }

    /** One component's use of the shared cache; closing it leaves, and the last to leave closes the store. */
    public static final class Membership implements AutoCloseable {

        private final ApplicationScope scope;
        private final SharedCache shared;
        private boolean left;

        private Membership(ApplicationScope scope, SharedCache shared) {
            this.scope = scope;
            this.shared = shared;
        }

        public ResponseCache cache() {
            return shared.cache;
        }

        /** Leaves the cache; idempotent. */
        @Override
        public void close() {
            synchronized (LOCK) {
                if (left) {
                    return;
                }
                left = true;
                if (--shared.members > 0) {
                    return;
                }
                if (scope.attribute(ATTRIBUTE) == shared) {
                    scope.removeAttribute(ATTRIBUTE);
                }
            }
            shared.cache.close();
        }
    }
}
