package dev.responsecache.jaxrs;

import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.ext.RuntimeDelegate;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

import org.glassfish.jersey.CommonProperties;
import org.glassfish.jersey.spi.HeaderDelegateProvider;

/**
 * The header delegates Jersey writes a response header value with before its runtime delegate's (loaded only with
 * Jersey): the {@code HeaderDelegateProvider}s an application lists in {@code META-INF/services}, unless its
 * configuration turns that lookup off. The JAX-RS runtime delegate does not hold them, so a value of a type only such
 * a provider writes would be read as its {@code toString()}, where Jersey sends what the provider writes.
 */
final class JerseyHeaderDelegates {

    private JerseyHeaderDelegates() {
    }

    /** The delegate for a type among those providers (null: none); null when there are none to ask. */
    static Function<Class<?>, RuntimeDelegate.HeaderDelegate<?>> of(Configuration configuration) {
        if (CommonProperties.getValue(configuration.getProperties(), configuration.getRuntimeType(),
                CommonProperties.METAINF_SERVICES_LOOKUP_DISABLE, Boolean.FALSE, Boolean.class)) {
            return null;
        }
        List<HeaderDelegateProvider<?>> found = new ArrayList<>();
        try {
            // Where Jersey looks them up (its ServiceFinder reads the same files through the context class loader).
            for (HeaderDelegateProvider<?> provider : ServiceLoader.load(HeaderDelegateProvider.class)) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError unreadable) {
            // Jersey ignores a provider it cannot load, and so writes without it.
        }
        if (found.isEmpty()) {
            return null;
        }
        List<HeaderDelegateProvider<?>> providers = List.copyOf(found);
        return type -> {
            for (HeaderDelegateProvider<?> provider : providers) {
                if (provider.supports(type)) {
                    return provider;
                }
            }
            return null;
        };
    }
}
