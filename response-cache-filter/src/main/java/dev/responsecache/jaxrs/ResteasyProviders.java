package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.WriterInterceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.jboss.resteasy.spi.ResteasyProviderFactory;
import org.jboss.resteasy.spi.interception.JaxrsInterceptorRegistry;

/**
 * Whether RESTEasy runs any filter, interceptor or dynamic feature but the ones {@code known} accepts, read from where
 * RESTEasy builds its chains: the application's provider factory, its filter and interceptor registries and its
 * server dynamic features. The configuration lists what is registered through it (by class, instance, feature,
 * {@code @Provider} scanning or {@code resteasy.providers}); the registries also hold what a feature or a start-up
 * hook hands them directly. What is registered for one resource method alone (by a dynamic feature) is not here:
 * {@link MethodProviders} reads it. Fails closed: a factory it cannot read means something else may run. Loaded only
 * where RESTEasy is.
 */
final class ResteasyProviders {

    /** Every contract a hit before matching would skip (as {@link JerseyProviders} names them, on Jersey). */
    static final List<Class<?>> ALL = List.of(ContainerRequestFilter.class, ContainerResponseFilter.class,
            ReaderInterceptor.class, WriterInterceptor.class, DynamicFeature.class);
    /** What a hit in front of the runtime would skip on the way out (the opt-in early hits). */
    static final List<Class<?>> RESPONSE_SIDE = List.of(ContainerResponseFilter.class, WriterInterceptor.class);

    private ResteasyProviders() {
    }

    /**
     * A check, run once the application has started (its first request), that every provider of {@code contracts}
     * (among {@link #ALL}) RESTEasy holds for every request is one {@code known} accepts (false when
     * the application's provider factory cannot be read).
     */
    static BooleanSupplier onlyKnown(FeatureContext context, List<Class<?>> contracts, Predicate<Class<?>> known) {
        if (!(context.getConfiguration() instanceof ResteasyProviderFactory factory)) {
            return () -> false;
        }
        return () -> {
            try {
                for (Class<?> contract : contracts) {
                    for (Object provider : providers(factory, contract)) {
                        if (provider == null || !known.test(provider.getClass())) {
                            return false;
                        }
                    }
                }
                return true;
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        };
    }

    /** The providers of {@code contract} every request may run: pre-matching and unbound post-matching ones. */
    private static List<Object> providers(ResteasyProviderFactory factory, Class<?> contract) {
        List<Object> found = new ArrayList<>();
        if (contract == ContainerRequestFilter.class) {
            JaxrsInterceptorRegistry<ContainerRequestFilter> registry = factory.getContainerRequestFilterRegistry();
            found.addAll(List.of(registry.preMatch()));
            found.addAll(List.of(registry.postMatch(null, null)));
        } else if (contract == ContainerResponseFilter.class) {
            found.addAll(List.of(factory.getContainerResponseFilterRegistry().postMatch(null, null)));
        } else if (contract == WriterInterceptor.class) {
            found.addAll(List.of(factory.getServerWriterInterceptorRegistry().postMatch(null, null)));
        } else if (contract == ReaderInterceptor.class) {
            found.addAll(List.of(factory.getServerReaderInterceptorRegistry().postMatch(null, null)));
        } else if (contract == DynamicFeature.class) {
            found.addAll(factory.getServerDynamicFeatures());
        } else {
            throw new IllegalArgumentException("not a contract a hit skips: " + contract.getName());
        }
        return found;
    }
}
