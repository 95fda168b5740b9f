package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.WriterInterceptor;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.glassfish.hk2.api.ServiceHandle;
import org.glassfish.hk2.api.ServiceLocator;
import org.glassfish.hk2.utilities.BuilderHelper;
import org.glassfish.jersey.InjectionManagerProvider;
import org.glassfish.jersey.internal.inject.InjectionManager;
import org.glassfish.jersey.internal.inject.Providers;
import org.glassfish.jersey.model.internal.RankedProvider;

/**
 * Whether Jersey runs any filter, interceptor or dynamic feature but the cache's own, read from where Jersey builds
 * its chains: its injection manager. The runtime's configuration does not list everything there (a binder a feature
 * hands the injection manager, a component provider, a parent locator, CDI beans), so a check of the configuration
 * alone can miss an authentication filter. Fails closed: a provider of a class it does not know, or a manager it
 * cannot read, means something else may run. Loaded only where Jersey is.
 */
final class JerseyProviders {

    /**
     * Jersey's own interceptors in every application: they wrap a mapped exception, and apply JSONP only to a method
     * annotated {@code @JSONP}, which a cached method's hit never bypasses (its entry was produced through them).
     */
    private static final Set<String> JERSEY_OWN = Set.of(
            "org.glassfish.jersey.server.internal.MappableExceptionWrapperInterceptor",
            "org.glassfish.jersey.server.internal.JsonWithPaddingInterceptor");
    private static final String UNREADABLE = "Jersey's injection manager, which could not be read";
    /** Every contract a hit before matching would skip. */
    static final List<Class<?>> ALL = List.of(ContainerRequestFilter.class, ContainerResponseFilter.class,
            ReaderInterceptor.class, WriterInterceptor.class, DynamicFeature.class);
    /** What a hit in front of the runtime would skip on the way out (the opt-in early hits). */
    static final List<Class<?>> RESPONSE_SIDE = List.of(ContainerResponseFilter.class, WriterInterceptor.class);

    private JerseyProviders() {
    }

    /**
     * A check, run once the application has started (its first request), that every provider of {@code contracts}
     * Jersey holds is one {@code own} accepts or Jersey's own (false when the injection manager cannot be read).
     */
    static BooleanSupplier onlyOwn(FeatureContext context, List<Class<?>> contracts, Predicate<Class<?>> own) {
        Supplier<String> foreign = firstForeign(context, contracts, own);
        return () -> foreign.get() == null;
    }

    /**
     * As {@link #onlyOwn}, naming what it found instead: the class of the first provider of {@code contracts} that is
     * neither {@code own} nor Jersey's, a sentence when the injection manager cannot be read, null when there is none.
     */
    static Supplier<String> firstForeign(FeatureContext context, List<Class<?>> contracts, Predicate<Class<?>> own) {
        InjectionManager manager;
        try {
            manager = InjectionManagerProvider.getInjectionManager(context);
        } catch (RuntimeException | LinkageError e) {
            return () -> UNREADABLE;
        }
        return () -> {
            try {
                for (Class<?> contract : contracts) {
                    for (RankedProvider<?> provider : Providers.getAllRankedProviders(manager, contract)) {
                        Class<?> type = provider.getProvider().getClass();
                        if (!known(type, own)) {
                            return type.getName();
                        }
                    }
                }
                return null;
            } catch (RuntimeException | LinkageError e) {
                return UNREADABLE;
            }
        };
    }

    /**
     * The request filters Jersey holds, with the priority it runs each at (its rank: given at registration, else its
     * {@code @Priority}, else {@code USER}); a binder's too, which the configuration does not list. The manager is
     * taken from the feature's context (a resource method's context does not lead to it) and read when first asked,
     * as the resource methods are configured, once Jersey has its providers; read once. Empty when the manager cannot
     * be read: the configuration is read as well.
     */
    static Supplier<Map<Class<?>, Integer>> requestFilters(FeatureContext feature) {
        InjectionManager manager;
        try {
            manager = InjectionManagerProvider.getInjectionManager(feature);
        } catch (RuntimeException | LinkageError e) {
            return Map::of;
        }
        AtomicReference<Map<Class<?>, Integer>> read = new AtomicReference<>();
        return () -> {
            Map<Class<?>, Integer> known = read.get();
            if (known == null) {
                known = ranks(manager);
                read.set(known);
            }
            return known;
        };
    }

    private static Map<Class<?>, Integer> ranks(InjectionManager manager) {
        Map<Class<?>, Integer> ranks = new HashMap<>();
        try {
            for (RankedProvider<ContainerRequestFilter> provider
                    : Providers.getAllRankedProviders(manager, ContainerRequestFilter.class)) {
                ranks.merge(provider.getProvider().getClass(), provider.getRank(), Math::max);
            }
        } catch (RuntimeException | LinkageError e) {
            return Map.of();
        }
        return Map.copyOf(ranks);
    }

    private static boolean known(Class<?> type, Predicate<Class<?>> own) {
        return own.test(type) || JERSEY_OWN.contains(type.getName());
    }

    /** The SPI through which a container integration sets the request Jersey injects (internal to Jersey). */
    private static final String INITIALIZER_SERVICES =
            "META-INF/services/org.glassfish.jersey.servlet.internal.spi.ServletContainerProvider";

    /**
     * A check, run at the first request the library's runner hands the runtime ({@link RuntimeServletProbe}), that
     * Jersey injects its resources nothing but the servlet request it was given: its servlet binds the request it sets
     * per request, and nothing else puts another in its place, neither a binding of the application's
     * ({@code HttpServletRequest} bound again, ranked above Jersey's: a wrapper carrying a session of its own, perhaps
     * only for some requests) nor Jersey's request-scope initializer SPI ({@code ServletContainerProvider} services,
     * which may set a wrapper as the request). Read from Jersey's HK2 locator without making any service bound; a
     * manager that is not HK2's, or cannot be read, says no. A binding of the application's left unranked is not told
     * from Jersey's own (HK2 then injects whichever was bound first, Jersey's as its servlet binds it).
     */
    static BooleanSupplier onlyJerseysRequest(FeatureContext context) {
        InjectionManager manager;
        try {
            manager = InjectionManagerProvider.getInjectionManager(context);
        } catch (RuntimeException | LinkageError e) {
            return () -> false;
        }
        return () -> {
            try {
                ServiceLocator locator = manager.getInstance(ServiceLocator.class);
                if (locator == null || initializerServices()) {
                    return false;
                }
                // Jersey binds the request unranked (its servlet's binding, and the ones it adds itself); a binding
                // that takes its place is ranked above it, as HK2 gives an injection the highest-ranked one.
                List<ServiceHandle<?>> bindings = locator.getAllServiceHandles(
                        BuilderHelper.createContractFilter(ServletSessionProbe.SERVLET_REQUEST));
                for (ServiceHandle<?> binding : bindings) {
                    if (binding.getActiveDescriptor().getRanking() != 0) {
                        return false;
                    }
                }
                return !bindings.isEmpty();
            } catch (RuntimeException | LinkageError | IOException unreadable) {
                return false;
            }
        };
    }

    /** Whether any class loader Jersey may search lists a container integration (Jersey's own jars list none). */
    private static boolean initializerServices() throws IOException {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader jersey = InjectionManager.class.getClassLoader();
        return context != null && context.getResources(INITIALIZER_SERVICES).hasMoreElements()
                || jersey != null && jersey.getResources(INITIALIZER_SERVICES).hasMoreElements();
    }
}
