package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one cache of a web application, shared by every component that caches in it (each servlet filter and the
 * JAX-RS feature), so that they use one store rather than one each. The first component to start opens it from its
 * configuration; each later one joins it; the last to stop closes it. Reference counting rather than a context
 * listener: a listener cannot portably be added once the application is starting, and every component has its own
 * stop callback ({@code Filter.destroy}, Jersey's container shutdown) to leave with.
 *
 * <p>A component that joins must see the same configuration as the one that opened the cache: a setting that differs
 * (say, a store setting given only to the Jersey servlet) would otherwise be silently ignored, so it fails the
 * start-up instead, naming the property and both values.
 */
public final class SharedCache {

    /** The attribute of the application scope under which the shared cache is kept. */
    public static final String ATTRIBUTE = SharedCache.class.getName();

    /** One lock for the JVM: joining and leaving happen only at start-up and shutdown. */
    private static final Object LOCK = new Object();

    private final ResponseCache cache;
    /** Every property the opening component read while opening the cache, with the value it found (or null). */
    private final Map<String, Object> configuration;
    private int members;

    private SharedCache(ResponseCache cache, Map<String, Object> configuration) {
        this.cache = cache;
        this.configuration = configuration;
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
                Map<String, Object> read = Collections.synchronizedMap(new LinkedHashMap<>());
                ResponseCache cache = ResponseCache.start(new PropertyValues(name -> {
                    Object value = properties.object(name);
                    read.put(name, value);
                    return value;
                }));
                if (cache == null) {
                    return null;
                }
                synchronized (read) {
                    shared = new SharedCache(cache, Collections.unmodifiableMap(new LinkedHashMap<>(read)));
                }
                scope.setAttribute(ATTRIBUTE, shared);
            } else {
                shared.checkSameConfiguration(properties);
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

    private void checkSameConfiguration(PropertyValues properties) {
        for (Map.Entry<String, Object> setting : configuration.entrySet()) {
            Object opened = comparable(setting.getValue());
            Object mine = comparable(properties.object(setting.getKey()));
            if (!Objects.equals(opened, mine)) {
                throw new ResponseCacheConfigException(setting.getKey() + " is " + shown(mine)
                        + " here, but the application's cache was already opened with " + shown(opened)
                        + " by another component (a servlet filter or the JAX-RS feature): the cache is shared, so"
                        + " set it once for the application, as a context-param or a system property");
            }
        }
    }

    /** As {@link PropertyValues} reads a value: text trimmed, blank the same as unset. */
    private static Object comparable(Object value) {
        if (value instanceof CharSequence text) {
            String trimmed = text.toString().trim();
            return trimmed.isEmpty() ? null : trimmed;
        }
        return value;
    }

    private static String shown(Object value) {
        return value == null ? "unset" : "'" + value + "'";
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
