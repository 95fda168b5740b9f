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

    private static final int MAX_UNREADABLE = 100;

    private JerseyHeaderDelegates() {
    }

    /** The delegate for a type among those providers (null: none); null when there are none to ask. */
    static Function<Class<?>, RuntimeDelegate.HeaderDelegate<?>> of(Configuration configuration) {
        if (CommonProperties.getValue(configuration.getProperties(), configuration.getRuntimeType(),
                CommonProperties.METAINF_SERVICES_LOOKUP_DISABLE, Boolean.FALSE, Boolean.class)) {
            return null;
        }
        List<HeaderDelegateProvider<?>> found = new ArrayList<>();
        // Where Jersey looks them up (its ServiceFinder reads the same files through the context class loader).
        var listed = ServiceLoader.load(HeaderDelegateProvider.class).iterator();
        int unreadableCount = 0;
        while (true) {
            try {
                if (!listed.hasNext()) {
                    break;
                }
                found.add(listed.next());
            } catch (ServiceConfigurationError unreadable) {
                // Jersey skips a provider it cannot load and writes with the others; the iterator goes on to the
                // next one listed. The bound only guards against an iterator that would fail for good.
                if (++unreadableCount > MAX_UNREADABLE) {
                    break;
                }
            }
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
