package dev.responsecache.core;

import java.util.Locale;
import java.util.function.Function;

/**
 * Where a {@code responsecache.*} setting comes from, highest precedence first: a system property, an environment
 * variable, the component's own properties (for the JAX-RS feature, the application's), then the web application's
 * init parameters and attributes. The order is MicroProfile Config's (system properties over the environment over
 * what the application packages), so that an operator can override a packaged value without rebuilding.
 */
final class ConfigurationSources {

    private ConfigurationSources() {
    }

    static Function<String, Object> layered(Function<String, String> environment, Function<String, Object> component,
                                            ApplicationScope scope) {
        return name -> {
            Object value = System.getProperty(name);
            if (value == null) {
                value = environmentValue(environment, name);
            }
            if (value == null) {
                value = component.apply(name);
            }
            if (value == null && scope != null) {
                value = scope.initParameter(name);
                if (value == null) {
                    value = scope.attribute(name);
                }
            }
            return value;
        };
    }

    /**
     * The environment variable for a property, found the way MicroProfile Config finds it: the exact name, then the
     * name with every character other than a letter or digit replaced by {@code _}, then that in upper case
     * ({@code responsecache.max-body-size} is {@code RESPONSECACHE_MAX_BODY_SIZE}).
     */
    static String environmentValue(Function<String, String> environment, String name) {
        String value = environment.apply(name);
        if (value != null) {
            return value;
        }
        String sanitized = name.replaceAll("[^A-Za-z0-9]", "_");
        value = environment.apply(sanitized);
        return value != null ? value : environment.apply(sanitized.toUpperCase(Locale.ROOT));
    }
}
