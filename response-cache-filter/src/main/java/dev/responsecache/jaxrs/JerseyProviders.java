package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.WriterInterceptor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
}
