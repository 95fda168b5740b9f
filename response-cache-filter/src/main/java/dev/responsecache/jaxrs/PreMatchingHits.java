package dev.responsecache.jaxrs;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.spi.Header;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.RefreshHandOff;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SelectionVary;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.WriterInterceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a hit before the runtime matches the request to a resource method, which is most of the runtime's work for
 * a hit. Only where skipping the rest of the runtime provably changes nothing, and otherwise the request goes on to
 * the resource method's own lookup as before:
 * <ul>
 *   <li>the application registers no request filter, response filter, interceptor or dynamic feature of its own
 *       (an authentication filter, {@code RolesAllowedDynamicFeature}, a CORS filter, an encoder): none of them could
 *       have run for this request, so none is skipped. Read once from the runtime's configuration, which does not
 *       list what an injection binder binds (Jersey runs a filter bound to {@code ContainerRequestFilter} in one):
 *       on Jersey its injection manager is read too, which holds what a binder bound; elsewhere an application that
 *       registers a binder of its own is not answered here;</li>
 *   <li>the path is one whose response the method's own lookup stored with the pipeline unchanged ({@link EarlyRoutes},
 *       the routes the servlet filter's opt-in early hits use): the runtime matched it to that one method, and the
 *       representation is the one the runtime negotiates for this {@code Accept} header (else it goes on);</li>
 *   <li>the request names no container session (a cookie or a path parameter could be one) unless the method's
 *       entries are shared across users: the session is only shown to the cache after matching. In a servlet
 *       container the servlet request the runtime was given is asked too ({@link ServletPreMatchingHits}): a servlet
 *       filter's request wrapper may carry a session of its own (Spring Session's, named by a header).</li>
 * </ul>
 * Never leads or waits on a key: a miss goes on to the method's lookup, which coalesces.
 */
@PreMatching
sealed class PreMatchingHits implements ContainerRequestFilter permits ServletPreMatchingHits {

    /** The cache's own components that the runtime's configuration lists (the rest are bound per method). */
    private static final Set<Class<?>> OWN = Set.of(PreMatchingHits.class, CacheBinding.class, CachingFilter.class,
            ApplicationPipeline.class, ServletSessionProbe.class, InvalidatingFilter.class, PurgeFilter.class,
            TagHeaderFilter.class, GzipAnswer.Writer.class, RuntimeServletProbe.class,
            ServletPreMatchingHits.class, ServletResponseProbe.class);
    /**
     * The cache's own components named rather than loaded: RESTEasy's sanitizer, the binder of the invalidator,
     * whose HK2 superclass is absent on the other runtimes, and the probes of Grizzly's sessions (Grizzly is optional).
     */
    private static final Set<String> OWN_BY_NAME = Set.of(ApplicationPipeline.RESTEASY_SANITIZER,
            "dev.responsecache.jaxrs.JerseyInvalidatorBinder", "dev.responsecache.jaxrs.GrizzlySessionProbe",
            "dev.responsecache.jaxrs.GrizzlyPathSessions");

    /** The binder types of the injection managers Jersey runs on (HK2's on Jersey 3 and 4, and Jersey's own). */
    private static final Set<String> INJECTION_BINDERS = Set.of("org.glassfish.hk2.utilities.Binder",
            "org.glassfish.jersey.internal.inject.Binder");

    /** Binders Jersey's own containers register, named exactly (a prefix would admit a wrapper of the app's). */
    private static final Set<String> JERSEY_BINDERS = Set.of(
            "org.glassfish.jersey.servlet.WebComponent$WebComponentBinder");

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");

    private final ResponseCache cache;
    private final String statusHeader;
    /** Stored Content-Type texts and their parsed form (absent when they must be replayed as text); few per app. */
    private final Map<String, Object> types = new ConcurrentHashMap<>();
    /**
     * On Jersey: the first filter, interceptor or dynamic feature its injection manager holds but the cache's own (null
     * when none); else null itself.
     */
    private final Supplier<String> jerseyForeign;
    @Context
    private Configuration configuration;
    private volatile Boolean safe;

    /** Registers the filter, last among pre-matching filters (none but the cache's own may be registered anyway). */
    static void register(FeatureContext context, ResponseCache cache) {
        if (ServletSessionProbe.available()) {
            context.register(RuntimeServletProbe.class,
                    Map.of(ContainerRequestFilter.class, CachingFilter.LOOKUP_PRIORITY - 1));
            if (RuntimeIntegration.jerseyHk2()) {
                // Read by the probe before it takes the request the library's runner handed the runtime.
                context.property(RuntimeServletProbe.ONLY_JERSEYS_REQUEST,
                        JerseyProviders.onlyJerseysRequest(context));
            }
        }
        if (RuntimeIntegration.jerseyOnGrizzly()) {
            context.register(GrizzlyPathSessions.class,
                    Map.of(ContainerRequestFilter.class, CachingFilter.LOOKUP_PRIORITY - 1));
        }
        Supplier<String> jerseyForeign = null;
        if (RuntimeIntegration.jerseyInjection()) {
            jerseyForeign = JerseyProviders.firstForeign(context, JerseyProviders.ALL, PreMatchingHits::own);
            context.property(ApplicationPipeline.JERSEY_RESPONSE_SIDE, JerseyProviders.onlyOwn(context,
                    JerseyProviders.RESPONSE_SIDE, ApplicationPipeline::own));
        }
        context.register(ServletSessionProbe.available() ? new ServletPreMatchingHits(cache, jerseyForeign)
                : new PreMatchingHits(cache, jerseyForeign),
                Map.of(ContainerRequestFilter.class, CachingFilter.LOOKUP_PRIORITY));
    }

    PreMatchingHits(ResponseCache cache, Supplier<String> jerseyForeign) {
        this.cache = cache;
        this.statusHeader = cache.settings().statusHeader();
        this.jerseyForeign = jerseyForeign;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method) || !safe()) {
            return;
        }
        Object servlet = request.getProperty(EarlyRoutes.RUNTIME_SERVLET);
        if (request.getProperty(RefreshHandOff.RUNNER) != null && servlet instanceof String) {
            // The library's filter in front of the runtime asks: hits of this runtime may be answered there. The mark
            // names the runtime's own servlet: the filter trusts it only for requests mapped to that servlet.
            request.setProperty(EarlyRoutes.SAFE_RUNTIME, servlet);
        }
        if (EarlyRoutes.leftToMatching(request.getHeaderString(JaxrsRequest.CONTENT_TYPE))
                || request.getProperty(EarlyRoutes.HIT_REFUSED) != null) {
            return;
        }
        if (request.getProperty(EarlyRoutes.PEEKED_READ) != null) {
            // A peek in front of the runtime (the library's runner, a caching servlet filter's early path) looked this
            // request up with its route's policy and answered nothing: a peek here would build the key again to take
            // the same read. The method's lookup takes that read; it also answers whatever a peek here could have.
            return;
        }
        EarlyRoutes.Route route = cache.earlyRoutes().find(request.getUriInfo().getRequestUri().getRawPath());
        if (route == null) {
            return;
        }
        String representation = route.representation().apply(request.getHeaderString(JaxrsRequest.ACCEPT));
        if (representation == null || !route.policy().sharedAcrossUsers()
                && (EarlyRoutes.mayNameSession(request.getHeaderString(JaxrsRequest.COOKIE),
                        request.getUriInfo().getRequestUri().getRawPath()) || carriesSession(request))) {
            return;
        }
        // Counted as what the client got (CachingFilter.leftToTheFilterInFront), as the method's own hits are.
        Lookup lookup = cache.peekCountedWhenWritten(route.policy(),
                new JaxrsRequest(request, representation, route.keyedOnAccept(representation)));
        if (lookup.answered()) {
            Response answer;
            try {
                answer = replay(lookup, request);
            } catch (RuntimeException unbuilt) {
                lookup.notWritten();
                throw unbuilt;
            }
            CachingFilter.markedForTheFilterInFront(request);
            CachingFilter.leftToTheFilterInFront(cache, lookup, request);
            request.abortWith(answer);
        }
    }

    /**
     * Whether the request carries a session that the request as sent does not name, which the method's own lookup
     * would see after matching; true when that cannot be known. Outside a servlet container, only one Grizzly read from
     * the path before the runtime saw it ({@link GrizzlyPathSessions}).
     */
    boolean carriesSession(ContainerRequestContext request) {
        return request.getProperty(GrizzlyPathSessions.MARK) != null;
    }

    /** As the method's own lookup answers a hit, with the {@code Vary} its response filter would add. */
    private Response replay(Lookup lookup, ContainerRequestContext request) {
        Response.ResponseBuilder response = Response.status(lookup.status());
        List<String> vary = new ArrayList<>(1);
        GzipAnswer gzip = GzipAnswer.of(lookup);
        for (Header replayed : lookup.replayHeaders(statusHeader)) {
            Header header = gzip == null ? replayed : gzip.asIdentity(replayed);
            if (header == null) {
                continue;
            }
            if (header.is(HttpHeaders.VARY)) {
                vary.add(header.value());
            }
            response.header(header.name(), header.is(HttpHeaders.CONTENT_TYPE) ? contentType(header.value())
                    : header.value());
        }
        String merged = SelectionVary.merged(lookup, vary);
        if (merged != null) {
            response.header(HttpHeaders.VARY, null).header(HttpHeaders.VARY, merged);
        }
        CacheEntry entry = lookup.entry();
        // An error status with an empty body gets its (empty) entity too: without one, Jersey answers it with the
        // container's error page (sendError), which the miss, whose method returned an entity, did not send.
        if (lookup.outcome() == Lookup.Outcome.HIT && (entry.bodyLength() > 0 || entry.status() >= 400)) {
            response.entity(gzip != null ? gzip : (StreamingOutput) entry::writeBody);
        }
        // Answered here only for an application without response filters or writer interceptors of its own.
        Response answer = response.build();
        HeadLength.declare(answer.getHeaders(), lookup, request.getMethod(), true);
        return answer;
    }

    /** See {@code CachingFilter#contentType}: the runtime needs a parsed type, and parsing it per hit costs. */
    private Object contentType(String text) {
        Object known = types.get(text);
        if (known == null) {
            MediaType parsed;
            try {
                parsed = MediaType.valueOf(text);
            } catch (IllegalArgumentException unparsable) {
                parsed = null;
            }
            known = parsed != null && parsed.toString().equals(text) ? parsed : text;
            if (types.size() < 64) {
                types.put(text, known);
            }
        }
        return known;
    }

    private boolean safe() {
        Boolean known = safe;
        if (known == null) {
            String skipped = skipped(configuration);
            known = skipped == null;
            if (!known) {
                LOG.debug("Hits of this application are answered after the runtime matches the request, not before it"
                        + " or in front of the runtime: a hit answered there would skip {}", skipped);
            }
            safe = known;
        }
        return known;
    }

    /** What a hit before matching would skip (a class name, or why that cannot be known); null when nothing. */
    private String skipped(Configuration current) {
        if (current == null) {
            return "the runtime's configuration, which was not injected";
        }
        Class<?> foreign = firstForeign(current, jerseyForeign != null);
        if (foreign != null) {
            return foreign.getName();
        }
        // On Jersey the configuration is not all that runs: its injection manager, which builds the chains, is read
        // too (a feature may hand it a filter directly).
        return jerseyForeign == null ? null : jerseyForeign.get();
    }

    /**
     * The first filter, interceptor or dynamic feature the application registers but the cache's own; null when none.
     * With {@code managerRead} (on Jersey, whose injection manager is read as well) an injection binder does not count
     * by itself: Jersey builds its chains from the manager's filters, interceptors and dynamic features, which that
     * read sees whoever bound them, and nothing else a binder binds acts on a hit (an injection of {@code Sse}, a
     * parameter provider for an event sink or a form field, a validator of the method's parameters: each acts on the
     * method's invocation, which the method's own hit skips as well).
     */
    static Class<?> firstForeign(Configuration configuration, boolean managerRead) {
        for (Class<?> type : configuration.getClasses()) {
            if (foreign(type, managerRead)) {
                return type;
            }
        }
        for (Object instance : configuration.getInstances()) {
            Class<?> type = instance instanceof Class<?> registered ? registered : instance.getClass();
            if (foreign(type, managerRead)) {
                return type;
            }
        }
        return null;
    }

    /** One of the cache's own components. */
    static boolean own(Class<?> type) {
        return OWN.contains(type) || OWN_BY_NAME.contains(type.getName());
    }

    private static boolean foreign(Class<?> type, boolean managerRead) {
        boolean processes = ContainerRequestFilter.class.isAssignableFrom(type)
                || ContainerResponseFilter.class.isAssignableFrom(type)
                || WriterInterceptor.class.isAssignableFrom(type) || ReaderInterceptor.class.isAssignableFrom(type)
                || DynamicFeature.class.isAssignableFrom(type) || !managerRead && injectionBinder(type);
        return processes && !own(type);
    }

    /**
     * Whether {@code type} is an application's binder of services in the runtime's injection manager (HK2's or
     * Jersey's): what it binds is not in the configuration, and a filter or interceptor bound there runs for every
     * request. Jersey's servlet container lists a binder of its own, which binds the runtime's parts; any other
     * binder counts, Jersey's composite ones too (they may carry the application's). Matched by name, so that
     * neither binder type need be present.
     */
    static boolean injectionBinder(Class<?> type) {
        return !JERSEY_BINDERS.contains(type.getName()) && bindsServices(type);
    }

    private static boolean bindsServices(Class<?> type) {
        if (type == null || type == Object.class) {
            return false;
        }
        if (INJECTION_BINDERS.contains(type.getName())) {
            return true;
        }
        for (Class<?> contract : type.getInterfaces()) {
            if (bindsServices(contract)) {
                return true;
            }
        }
        return bindsServices(type.getSuperclass());
    }
}
