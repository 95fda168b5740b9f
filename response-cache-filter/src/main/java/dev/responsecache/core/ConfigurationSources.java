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
     * Where the value {@link #layered} finds for {@code name} is set, for an error message ("the environment variable
     * RESPONSECACHE_STORE"); null when it is not set. The first source that has it, as {@link #layered} reads them.
     */
    static String origin(Function<String, String> environment, Function<String, Object> component,
                         ApplicationScope scope, String name) {
        if (System.getProperty(name) != null) {
            return "the system property " + name;
        }
        String variable = environmentVariable(environment, name);
        if (variable != null) {
            return "the environment variable " + variable;
        }
        // Jersey hands the context-params to the application as its properties: the same value in both is the
        // context-param the operator wrote.
        Object own = component.apply(name);
        String param = scope == null ? null : scope.initParameter(name);
        if (own != null && !own.equals(param)) {
            return "the application property " + name;
        }
        if (param != null) {
            return "the context-param " + name;
        }
        if (scope != null && scope.attribute(name) != null) {
            return "the servlet context attribute " + name;
        }
        return null;
    }

    /** The name of the environment variable {@link #environmentValue} reads {@code name} from, or null. */
    private static String environmentVariable(Function<String, String> environment, String name) {
        String sanitized = name.replaceAll("[^A-Za-z0-9]", "_");
        for (String variable : new String[] {name, sanitized, sanitized.toUpperCase(Locale.ROOT)}) {
            if (environment.apply(variable) != null) {
                return variable;
            }
        }
        return null;
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
