package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.core.NegotiationDialect;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.RuntimeDelegate;

import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What only some JAX-RS runtimes offer: a callback when the application stops. On Jersey the cache is released
 * through a container lifecycle listener ({@link StoreCloser}, loaded only when Jersey is present). In a servlet
 * container the portable {@link dev.responsecache.servlet.ResponseCacheListener} closes it as well; elsewhere, without
 * either, the store lives as long as the JVM, and the start-up log says so.
 */
final class RuntimeIntegration {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    private static final boolean JERSEY = present("org.glassfish.jersey.server.spi.ContainerLifecycleListener");
    private static final boolean JERSEY_HK2 = JERSEY && present("org.glassfish.hk2.utilities.binding.AbstractBinder");
    private static final boolean JERSEY_INJECTION = JERSEY && present("org.glassfish.jersey.InjectionManagerProvider");
    private static final boolean RESTEASY = present("org.jboss.resteasy.spi.ContextInjector");
    /** Jersey's Grizzly container, Grizzly's request and the provider through which Jersey injects it. */
    private static final boolean JERSEY_GRIZZLY = JERSEY
            && present("org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer")
            && present("org.glassfish.grizzly.http.server.Request") && present("org.glassfish.grizzly.http.Cookie")
            && present("jakarta.inject.Provider");

    private RuntimeIntegration() {
    }

    /**
     * The object behind a request-scoped {@code @Context} proxy. Jersey's HK2 resolves such a proxy on every call
     * through the injection handle of the (singleton) provider it was injected into, under that handle's lock, which
     * every request of the application then shares; resolved once per request, the calls that follow take no lock.
     * Any other runtime's injected object is returned as it is.
     */
    static <T> T unproxied(T injected, Class<T> type) {
        return JERSEY_HK2 ? type.cast(Hk2Proxies.underlying(injected)) : injected;
    }

    /**
     * Whether the runtime holds no object of {@code type} for this request, although it injected one: RESTEasy
     * injects a proxy for the servlet request outside a servlet container too, and every call on it throws. Such a
     * request has no servlet request to ask, which is not the same as one that cannot be read. Asked of RESTEasy
     * only when RESTEasy answers the request (its request context), not merely when it is on the class path beside
     * another runtime; Jersey injects nothing there.
     */
    static boolean standsInForNothing(Class<?> type, ContainerRequestContext request) {
        return RESTEASY && request.getClass().getName().startsWith("org.jboss.resteasy.")
                && ResteasyContextData.absent(type);
    }

    /** How the runtime answering {@code request} reads what {@code Request.selectVariant} reads; null on another. */
    static NegotiationDialect negotiation(ContainerRequestContext request) {
        String runtime = request.getClass().getName();
        if (RESTEASY && runtime.startsWith("org.jboss.resteasy.")) {
            return NegotiationDialect.RESTEASY;
        }
        return JERSEY && runtime.startsWith("org.glassfish.jersey.") ? NegotiationDialect.JERSEY : null;
    }

    /**
     * The {@code Vary} lines the runtime put on the response it sends beside the JAX-RS response the filters see
     * (RESTEasy's {@code Request.selectVariant}; Jersey adds its own to the JAX-RS response): the method's response
     * varies by those headers as much as by a {@code Vary} it set itself. Empty on another runtime.
     */
    static List<String> varyBesideTheResponse(ContainerRequestContext request) {
        return RESTEASY && request.getClass().getName().startsWith("org.jboss.resteasy.")
                ? ResteasyContextData.varyBesideTheResponse() : List.of();
    }

    /**
     * The runtime's own response for this request, which a method can be handed beside the JAX-RS response
     * (RESTEasy's {@code HttpResponse}, Grizzly's response under Jersey), noted before the method runs
     * ({@link ResteasyResponseView}, {@link GrizzlyResponseView}); null elsewhere.
     */
    static ServletResponseView runtimeResponse(ContainerRequestContext request) {
        if (RESTEASY && request.getClass().getName().startsWith("org.jboss.resteasy.")) {
            return ResteasyResponseView.noted();
        }
        return JERSEY_GRIZZLY ? GrizzlySessionProbe.responseOf(request.getProperty(ContainerSession.PROPERTY)) : null;
    }

    /**
     * Runs {@code release} when the application stops, where the runtime can say so.
     *
     * @param unclosedApplication null when something else closes the cache at stop (the servlet context listener);
     *                            otherwise the name of the application, for the warning when nothing can
     */
    static void closeOnShutdown(FeatureContext context, Runnable release, String unclosedApplication) {
        if (JERSEY) {
            context.register(new StoreCloser(release));
        } else if (unclosedApplication != null) {
            LOG.warn("Response cache of application '" + unclosedApplication + "': this"
                    + " JAX-RS runtime gives no stop callback, so the cache's store (its connections and threads) is"
                    + " not closed when the application stops. In a servlet container, add"
                    + " dev.responsecache.servlet.ResponseCacheListener (containers that scan for"
                    + " ServletContainerInitializers add it themselves).");
        }
    }

    /**
     * Offers the invalidator to resources: as a configuration property and a {@code ContextResolver} on every
     * runtime, and as {@code @Context ResponseCacheInvalidator} where the runtime lets a library add an injectable
     * type (Jersey through a binder, RESTEasy through a context injector), each in a class loaded only there.
     */
    static void offerInvalidator(FeatureContext context, ResponseCacheInvalidator invalidator) {
        context.property(ResponseCacheInvalidator.ATTRIBUTE, invalidator);
        context.register(new InvalidatorResolver(invalidator));
        if (JERSEY_HK2) {
            context.register(new JerseyInvalidatorBinder(invalidator));
        }
        if (RESTEASY) {
            context.register(new ResteasyInvalidatorInjector(invalidator));
        }
    }

    /**
     * Counts {@code refresh}, run inline as this request's miss (no servlet filter in front runs refreshes), as failed
     * if it ends in an exception no mapper handles, where the runtime reports one: Jersey
     * ({@link JerseyRefreshFailures}, on this request alone). On RESTEasy such an exception is answered with a 500
     * through the response filters, an error status like any other, which the runner in front does not count either:
     * RESTEasy hands it to nothing that could be watched without changing the application's answers (the ways
     * weighed are in docs/ARCHITECTURE.md).
     */
    static void watchInlineRefresh(ContainerRequestContext request, InlineRefresh refresh) {
        if (JERSEY && request.getClass().getName().startsWith("org.glassfish.jersey.")) {
            JerseyRefreshFailures.watch(request, refresh);
        }
    }

    /**
     * Whether Jersey may run on Grizzly without a servlet container, whose sessions {@link GrizzlySessionProbe} shows
     * (loaded only then: Grizzly stays optional).
     */
    static boolean jerseyOnGrizzly() {
        return JERSEY_GRIZZLY;
    }

    /**
     * The header delegates Jersey asks before its runtime delegate when it writes the headers of the application
     * configured by {@code configuration} ({@link JerseyHeaderDelegates}); null on another runtime, or where there are
     * none, the runtime delegate then being what the runtime writes with.
     */
    static Function<Class<?>, RuntimeDelegate.HeaderDelegate<?>> jerseyHeaderDelegates(Configuration configuration) {
        if (!JERSEY || configuration == null
                || !configuration.getClass().getName().startsWith("org.glassfish.jersey.")) {
            return null;
        }
        try {
            return JerseyHeaderDelegates.of(configuration);
        } catch (LinkageError otherJersey) {
            return null;
        }
    }

    /** Whether the application runs on Jersey, whose injection manager {@link JerseyProviders} reads. */
    static boolean jerseyInjection() {
        return JERSEY_INJECTION;
    }

    /** Whether Jersey runs here with HK2 as its injection manager (its proxies, its locator). */
    static boolean jerseyHk2() {
        return JERSEY_HK2 && JERSEY_INJECTION;
    }

    private static boolean present(String className) {
        try {
            Class<?> found = Class.forName(className, false, RuntimeIntegration.class.getClassLoader());
            // On the module path the descriptor can name only one module per runtime (Jersey 3.1's file name, not
            // Jersey 4's module): read whichever module the class came from. On the class path this does nothing.
            RuntimeIntegration.class.getModule().addReads(found.getModule());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
