package dev.responsecache.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
     * @param representation the representation for an {@code Accept} header value (absent: null); null when the
     *                       request must go on to the JAX-RS runtime (it would not get this method's type)
     * @param oneType        the representation of a request for the method's one type whose {@code Accept} carries
     *                       no parameter but {@code q} (the very string {@code representation} gives it); null when
     *                       the method produces several types
     * @param negotiation    how the runtime that stored the path's responses reads the negotiation headers
     *                       ({@link CacheRequest#negotiation}), for a peek in front of it to judge its request as
     *                       that runtime will; null when not known (judged as the strictest)
     */
    public record Route(CachePolicy policy, UnaryOperator<String> representation, String oneType,
                        NegotiationDialect negotiation) {
        public Route {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(representation, "representation");
        }

        /** This route as stored by a runtime reading the negotiation headers as {@code dialect} does. */
        public Route negotiatedBy(NegotiationDialect dialect) {
            return new Route(policy, representation, oneType, dialect);
        }

        /**
         * Whether a key holding {@code representation} (as {@link #representation} gave it) depends on the
         * {@code Accept} header: several types produced, or a range with a parameter (a charset) that keys even the
         * one type's representation. Told from the representation already derived, so a hit scans no header again:
         * the one type's is the same string each time, which {@code equals} answers at once.
         */
        public boolean keyedOnAccept(String representation) {
            return oneType == null || !oneType.equals(representation);
        }
    }

    /**
     * Marks a path served by more than one cached method (say one per media type): the runtime chooses among them,
     * so no early answer is given there.
     */
    private static final Route AMBIGUOUS = new Route(
            new CachePolicy(Duration.ofSeconds(1), List.of(), Set.of(), false), accept -> null, null, null);

    /**
     * Request attribute set by the JAX-RS adapter, on a request the servlet-level runner in front of the runtime
     * offers it, when its runtime runs no filter, interceptor or dynamic feature but the cache's own: a hit on one of
     * its routes may be answered in front of the runtime, by the servlet filter that the library puts first. Its
     * value is the name of the servlet the runtime runs in ({@link #RUNTIME_SERVLET}).
     */
    public static final String SAFE_RUNTIME = "dev.responsecache.early.safe-runtime";
    /** Request property under which a JAX-RS runtime in a servlet container names the servlet it runs in. */
    public static final String RUNTIME_SERVLET = "dev.responsecache.early.runtime-servlet";
    /**
     * Request attribute the servlet-level runner in front of the runtime sets, for the one pass it lets on, to the
     * servlet request it hands the chain ({@link HandedRequest}) when that request goes straight to a runtime that marked itself
     * {@link #SAFE_RUNTIME} (a REQUEST dispatch mapped to that runtime's servlet, no servlet filter of the application
     * in between): the very request the runtime is given. The runtime's probe takes it in place of resolving its own
     * injected request (a few microseconds per miss on Jersey), and only after checking that it was set for its own
     * servlet and context.
     */
    public static final String RUNTIME_REQUEST = "dev.responsecache.early.runtime-request";

    /**
     * The value of {@link #RUNTIME_REQUEST}: the servlet request handed on ({@code request}, typed by the adapters)
     * and the name of the servlet the container mapped it to, which the runner read once for the whole pass, so that
     * the runtime's probe compares names instead of asking the container for the mapping again (on Jetty a new
     * mapping object per call for a prefix mapping such as {@code /api/*}).
     */
    public record HandedRequest(Object request, String servlet) {
    }
    /** Request attribute under which a peek that did not answer keeps its store read for the lookup behind it. */
    public static final String PEEKED_READ = "dev.responsecache.early.peeked-read";
    /**
     * Request attribute set in front of the runtime when a hit of this request could not be written (a line the
     * container or a response wrapper in front refuses): the runtime's own lookups answer nothing from the cache for
     * it, since the same hit written by the runtime would meet the same refusal; the request is served uncached.
     */
    public static final String HIT_REFUSED = "dev.responsecache.early.hit-refused";
    /** Request attribute a {@code ResponseCacheFilter} sets on a request it looked up and let on down the chain. */
    public static final String FILTER_IN_FRONT = "dev.responsecache.servlet.ResponseCacheFilter.active";
    /**
     * Request attribute the JAX-RS adapter sets when a cached resource method answers a request such a filter let on:
     * the method's own policy caches that response (its key, tags and evictions), so the filter stores no copy of its
     * own, which the method's tag evictions would not reach.
     */
    public static final String CACHED_BY_METHOD = "dev.responsecache.jaxrs.cached-by-method";

    /**
     * Whether a request answered before its runtime could be tied to a container session: a cookie may be the
     * session cookie, and a path parameter ({@code ;jsessionid=}) its id. Such a request is answered there only for
     * entries shared across users.
     */
    public static boolean mayNameSession(String cookieHeader, String rawPath) {
        return cookieHeader != null || rawPath.indexOf(';') >= 0;
    }

    /**
     * Whether a request must be matched by the runtime before any entry answers it, whatever its route: one naming a
     * media type for its content ({@code Content-Type}), which Jersey and RESTEasy match against the method's
     * {@code @Consumes} (often the resource class's, for its GETs too) even when a GET has no content, answering 415
     * for a type the method does not consume and 400 for one they cannot parse. A route records neither, so such a
     * request goes on to the method's own lookup, which runs only once the runtime has matched it.
     */
    public static boolean leftToMatching(String contentType) {
        return contentType != null;
    }

    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
    private final int capacity;

    EarlyRoutes(int capacity) {
        this.capacity = capacity;
    }

    /** Records the route of the path whose response {@code stored} just led to an entry. */
    public void learn(Lookup stored, Route route) {
        String rawPath = stored.request().rawPath();
        if (routes.get(rawPath) == route) {
            return;
        }
        if (routes.size() >= capacity) {
            routes.clear();
        }
        routes.merge(rawPath, route, (known, learned) -> known == learned ? known : AMBIGUOUS);
    }

    /**
     * Whether {@code route} is already the one learned for the path of {@code stored}: then {@link #learn} would do
     * nothing, and the adapter need not check again that the path may be learned.
     */
    public boolean knows(Lookup stored, Route route) {
        return routes.get(stored.request().rawPath()) == route;
    }

    /**
     * The route of a path, or null when the JAX-RS adapter has stored nothing for it (lately) or when several
     * methods serve it.
     */
    public Route find(String rawPath) {
        Route route = routes.get(rawPath);
        return route == AMBIGUOUS ? null : route;
    }
}
