package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.spi.PropertyValues;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one cache of a web application, shared by every component that caches in it (each servlet filter and the
 * JAX-RS feature), so that they use one store rather than one each. The first component to start opens it from its
 * configuration; each later one joins it; the last to leave closes it, and so does the end of the application
 * ({@link #closeApplication}, called by the servlet context listener), whichever comes first: exactly once.
 *
 * <p>Components see the configuration from different places (a servlet filter sees context-params, the JAX-RS
 * feature also the application's properties), so joining combines them: a setting given by one component and absent
 * for another is taken from the one that gives it; only two different values for one setting fail the start-up,
 * naming the property and both values. When a joining component gives a setting the cache was opened without, the
 * cache is opened again with the combined configuration (at start-up, before the joining component serves anything),
 * provided every component already in it reads the cache per request ({@link #joinFollowing}); otherwise that is a
 * conflict too, reported the same way.
 */
public final class SharedCache {

    /** The attribute of the application scope under which the shared cache is kept. */
    public static final String ATTRIBUTE = SharedCache.class.getName();

    /**
     * One lock for the JVM: joining and leaving happen only at start-up and shutdown. A lock, not a monitor: joining
     * opens the store under it (a connection to Redis, bounded by its timeouts), which a JAX-RS runtime initialised on
     * its first request does on a request's thread, and leaving closes it; a virtual thread blocked inside a monitor,
     * or entering one, pins its carrier thread on Java 21 to 23.
     */
    private static final ReentrantLock LOCK = new ReentrantLock();
    /**
     * Where a refused configuration is logged: a logger of its own, so that a launcher that prints the reason itself
     * (the sample application, the caching proxy) can turn it off and still show the reason once.
     */
    static final String REFUSALS = "dev.responsecache.refused";
    private static final Logger LOG = LoggerFactory.getLogger(REFUSALS);
    /** The application attribute holding the last refusal {@link #refused} logged there. */
    static final String REFUSED = SharedCache.class.getName() + ".refused";

    private volatile ResponseCache cache;
    /** What the cache was opened from, to combine with the settings a joining component adds. */
    private PropertyValues source;
    /** Every property read while opening the cache, with the value found (or null). */
    private Map<String, Object> configuration;
    private int members;
    /** Members that took the cache once and would keep a closed one if it were opened again. */
    private int pinned;
    private boolean closed;

    private SharedCache(Opened opened) {
        this.cache = opened.cache;
        this.source = opened.source;
        this.configuration = opened.configuration;
    }

    /**
     * The configuration a component reads, in order of precedence: system properties, environment variables
     * ({@code RESPONSECACHE_MAX_BODY_SIZE} for {@code responsecache.max-body-size}), the component's own properties
     * (for the JAX-RS feature, the application's), then the application scope's parameters and, for programmatic
     * values such as a {@link java.time.Clock}, its attributes.
     */
    public static PropertyValues properties(ApplicationScope scope, Function<String, Object> component) {
        return properties(scope, component, System::getenv);
    }

    /** As {@link #properties(ApplicationScope, Function)}, for a component that runs outside a web application. */
    public static PropertyValues properties(Function<String, Object> component) {
        Objects.requireNonNull(component, "component");
        return new PropertyValues(ConfigurationSources.layered(System::getenv, component, null));
    }

    static PropertyValues properties(ApplicationScope scope, Function<String, Object> component,
                                     Function<String, String> environment) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(component, "component");
        return new PropertyValues(ConfigurationSources.layered(environment, component, scope));
    }

    /**
     * {@code error}, {@link #located located}, for an adapter to throw where its start-up refuses the configuration,
     * logged here at ERROR first, with the message alone: the first thing an operator reads of the failure. The
     * runtime and the container wrap what the adapter throws before they log it: Jetty logs a servlet or filter that
     * failed as {@code unavailable}, Tomcat as {@code Servlet.init() for servlet [api] threw exception} or a failed
     * context as {@code A child container failed during start}, the cache's message below that line or causes further
     * down. The container prints the stack trace; this line does not repeat it. Logged once per application
     * ({@code scope}, null outside a web application) and message: two runtimes, or the feature and a filter, of one
     * application refuse the same value. Logged on {@value #REFUSALS}.
     */
    public static ResponseCacheConfigException refused(ResponseCacheConfigException error, ApplicationScope scope,
                                                       Function<String, Object> component) {
        ResponseCacheConfigException located = located(error, scope, component, System::getenv);
        String message = located.getMessage();
        if (scope == null || !Objects.equals(message, scope.attribute(REFUSED))) {
            if (scope != null) {
                scope.setAttribute(REFUSED, message);
            }
            String application = scope == null ? "" : scope.name();
            LOG.error("Response cache not started{}: {}",
                    application.isEmpty() ? "" : " in application '" + application + "'", message);
        }
        return located;
    }

    /**
     * {@code error}, saying where the value it refuses was set when that is one of the sources {@link #properties}
     * reads ({@code scope} may be null outside a web application): a value the operator overrides in the environment
     * looks nothing like the one the application packages, so "Invalid value for responsecache.store" alone sends
     * them to the wrong file.
     */
    static ResponseCacheConfigException located(ResponseCacheConfigException error, ApplicationScope scope,
                                                Function<String, Object> component,
                                                Function<String, String> environment) {
        String property = error.property();
        // A filter's init-params (ttl, varyBy) are refused under their own names, which no other source may hold.
        if (property == null || !property.startsWith("responsecache.")) {
            return error;
        }
        String origin = ConfigurationSources.origin(environment, component, scope, property);
        if (origin == null) {
            return error;
        }
        ResponseCacheConfigException located = new ResponseCacheConfigException(
                error.getMessage() + "; set by " + origin, error.getCause());
        located.setStackTrace(error.getStackTrace());
        return located;
    }

    /**
     * Joins the application's cache, opening it from {@code properties} when no component has yet, for a component
     * that takes {@link Membership#cache()} once, at start-up.
     *
     * @return the membership, or null when caching is disabled ({@code responsecache.enabled=false})
     * @throws dev.responsecache.ResponseCacheConfigException when a value is bad, or differs from the cache's
     */
    public static Membership join(ApplicationScope scope, PropertyValues properties) {
        return join(scope, properties, true);
    }

    /**
     * As {@link #join}, for a component that reads {@link Membership#cache()} on every request and so follows the
     * cache if a later component's settings make it open again.
     */
    public static Membership joinFollowing(ApplicationScope scope, PropertyValues properties) {
        return join(scope, properties, false);
    }

    private static Membership join(ApplicationScope scope, PropertyValues properties, boolean pins) {
        ResponseCache replaced;
        Membership membership;
        LOCK.lock();
        try {
            SharedCache shared = scope.attribute(ATTRIBUTE) instanceof SharedCache existing ? existing : null;
            replaced = null;
            if (shared == null) {
                Opened opened = Opened.open(properties);
                if (opened == null) {
                    return null;
                }
                shared = new SharedCache(opened);
                scope.setAttribute(ATTRIBUTE, shared);
            } else {
                replaced = shared.combine(properties, scope.name());
            }
            shared.members++;
            if (pins) {
                shared.pinned++;
            }
            membership = new Membership(scope, shared, pins);
        } finally {
            LOCK.unlock();
        }
        if (replaced != null) {
            replaced.close();
        }
        return membership;
    }

    /**
     * Closes the application's cache when the application stops, whatever components have not left (a JAX-RS
     * runtime gives the feature no portable stop callback). Does nothing when there is none or it is closed.
     */
    public static void closeApplication(ApplicationScope scope) {
        SharedCache shared;
        LOCK.lock();
        try {
            shared = scope.attribute(ATTRIBUTE) instanceof SharedCache existing ? existing : null;
            if (shared == null || shared.closed) {
                return;
            }
            shared.closed = true;
            shared.members = 0;
            scope.removeAttribute(ATTRIBUTE);
        } finally {
            LOCK.unlock();
        }
        shared.cache.close();
    }

    /** The number of components currently using the cache kept in {@code scope}; 0 when there is none. */
    public static int members(ApplicationScope scope) {
        LOCK.lock();
        try {
            return scope.attribute(ATTRIBUTE) instanceof SharedCache shared ? shared.members : 0;
        } finally {
            LOCK.unlock();
        }
    }

    /** The application's open cache, or null when none is open (not started yet, disabled, or stopped). */
    public static ResponseCache current(ApplicationScope scope) {
        return scope.attribute(ATTRIBUTE) instanceof SharedCache shared && !shared.closed ? shared.cache : null;
    }

    /**
     * Checks a joining component's settings against the open cache's and opens it again when the component adds
     * some. Called holding the lock.
     *
     * @return the cache this replaced, to close once the lock is released; or null
     */
    private ResponseCache combine(PropertyValues joining, String application) {
        boolean adds = false;
        for (Map.Entry<String, Object> setting : configuration.entrySet()) {
            Object opened = comparable(setting.getValue());
            Object mine = comparable(joining.object(setting.getKey()));
            if (opened != null && mine != null && !opened.equals(mine)) {
                throw conflict(setting.getKey(), mine, opened, "");
            }
            adds |= opened == null && mine != null;
        }
        if (!adds) {
            return null;
        }
        if (pinned > 0) {
            String name = configuration.entrySet().stream()
                    .filter(setting -> comparable(setting.getValue()) == null
                            && comparable(joining.object(setting.getKey())) != null)
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            throw conflict(name, comparable(joining.object(name)), null,
                    " (a JAX-RS application already uses the cache, so it cannot be opened again with it)");
        }
        PropertyValues opener = source;
        Opened reopened = Opened.open(new PropertyValues(name -> {
            Object value = opener.object(name);
            return comparable(value) != null ? value : joining.object(name);
        }), application, cache);
        if (reopened == null) {
            throw new ResponseCacheConfigException("responsecache.enabled is false here, but the application's cache"
                    + " was already opened by another component: set it once for the application, as a context-param,"
                    + " an environment variable or a system property");
        }
        ResponseCache replaced = cache;
        cache = reopened.cache;
        source = reopened.source;
        configuration = reopened.configuration;
        return replaced;
    }

    private static ResponseCacheConfigException conflict(String name, Object mine, Object opened, String why) {
        return new ResponseCacheConfigException(name + " is " + shown(name, mine)
                + " here, but the application's cache was already opened with " + shown(name, opened)
                + " by another component (a servlet filter or the JAX-RS feature)" + why + ": the cache is shared, so"
                + " set it once for the application, as a context-param, an environment variable or a system property");
    }

    /** As {@link PropertyValues} reads a value: text trimmed, blank the same as unset. */
    private static Object comparable(Object value) {
        if (value instanceof CharSequence text) {
            String trimmed = text.toString().trim();
            return trimmed.isEmpty() ? null : trimmed;
        }
        return value;
    }

    /** A value for a message, with any secret in it masked as the start-up line masks it. */
    private static String shown(String name, Object value) {
        return value == null ? "unset" : "'" + StartupLine.shown(name, value) + "'";
    }

    /** A cache just opened, with what it was opened from. */
    private record Opened(ResponseCache cache, PropertyValues source, Map<String, Object> configuration) {

        /** Null when caching is disabled. */
        static Opened open(PropertyValues properties) {
            return open(properties, null, null);
        }

        /** With {@code replacing}, the cache opened again for {@code application}: its start-up line says so. */
        static Opened open(PropertyValues properties, String application, ResponseCache replacing) {
            Map<String, Object> read = Collections.synchronizedMap(new LinkedHashMap<>());
            PropertyValues reading = new PropertyValues(name -> {
                Object value = properties.object(name);
                read.put(name, value);
                return value;
            });
            ResponseCache cache = replacing == null ? ResponseCache.start(reading)
                    : ResponseCache.reopen(reading, application, replacing);
            if (cache == null) {
                return null;
            }
            synchronized (read) {
                return new Opened(cache, properties, Collections.unmodifiableMap(new LinkedHashMap<>(read)));
            }
        }
    }

    /** One component's use of the shared cache; closing it leaves, and the last to leave closes the store. */
    public static final class Membership implements AutoCloseable {

        private final ApplicationScope scope;
        private final SharedCache shared;
        private final boolean pins;
        private boolean left;

        private Membership(ApplicationScope scope, SharedCache shared, boolean pins) {
            this.scope = scope;
            this.shared = shared;
            this.pins = pins;
        }

        /** The application's cache now: a component that joined with {@link #joinFollowing} reads it per request. */
        public ResponseCache cache() {
            return shared.cache;
        }

        /** Leaves the cache; idempotent. */
        @Override
        public void close() {
            LOCK.lock();
            try {
                if (left) {
                    return;
                }
                left = true;
                if (shared.closed) {
                    return;
                }
                if (pins) {
                    shared.pinned--;
                }
                if (--shared.members > 0) {
                    return;
                }
                shared.closed = true;
                if (scope.attribute(ATTRIBUTE) == shared) {
                    scope.removeAttribute(ATTRIBUTE);
                }
            } finally {
                LOCK.unlock();
            }
            shared.cache.close();
        }
    }
}
