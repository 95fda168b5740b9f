package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses a {@code responsecache.*} key the library does not read: a misspelt one ({@code responsecache.max-body-sise},
 * {@code responsecache.coalesce-timeout}) was silently ignored and its default taken, so the setting an operator
 * believed in never applied. Keys under {@code responsecache.<store>.} belong to the configured store when it is not
 * a built-in one ({@code ehcache}, {@code redis}, whose keys are all known): such a store may read keys of its own.
 */
public final class UnknownProperties {

    /** Where every valid key is listed, named by each unknown-key message. */
    private static final String KNOWN_KEYS = " (the known keys are the constants of "
            + ResponseCacheProperties.class.getName() + ")";
    private static final String PREFIX = "responsecache.";
    private static final String VARIABLE_PREFIX = variable(PREFIX);
    private static final Set<String> KNOWN = known();
    private static final Set<String> BUILT_IN_STORES = Set.of("ehcache", "redis");

    private UnknownProperties() {
    }

    /**
     * Checks the system properties, the environment variables and the given sources.
     *
     * @param properties what the component reads, for the configured store's name
     * @param sources    each source's name ("the application's properties", "context-params") and its keys
     * @throws ResponseCacheConfigException naming the first unknown key, where it was found, and the key it is
     *                                      nearest to
     */
    public static void check(PropertyValues properties, Map<String, Iterable<String>> sources) {
        String store = properties.string(ResponseCacheProperties.STORE, "ehcache");
        // The built-in stores' keys are all known; another store's are its own.
        String storeKeys = BUILT_IN_STORES.contains(store) ? PREFIX + ResponseCacheProperties.class.getName()
                : PREFIX + store + ".";
        check(storeKeys, "system properties", System.getProperties().stringPropertyNames());
        for (Map.Entry<String, Iterable<String>> source : sources.entrySet()) {
            check(storeKeys, source.getKey(), source.getValue());
        }
        check(storeKeys, "environment variables", System.getenv().keySet());
        for (String name : System.getenv().keySet()) {
            String upper = name.toUpperCase(Locale.ROOT);
            if (upper.startsWith(VARIABLE_PREFIX) && !name.startsWith(PREFIX)
                    && KNOWN.stream().noneMatch(key -> variable(key).equals(upper))
                    && !upper.startsWith(variable(storeKeys))) {
                throw new ResponseCacheConfigException("Unknown environment variable " + name + ": no "
                        + PREFIX + "* key is read from it" + nearest(upper.toLowerCase(Locale.ROOT).replace('_', '.'))
                        + KNOWN_KEYS);
            }
        }
    }

    private static void check(String storeKeys, String source, Iterable<String> names) {
        for (String name : names) {
            if (name.startsWith(PREFIX) && !KNOWN.contains(name) && !name.startsWith(storeKeys)) {
                throw new ResponseCacheConfigException("Unknown property " + name + " in " + source + nearest(name)
                        + KNOWN_KEYS);
            }
        }
    }

    /** The known key a few edits away, as a suggestion, or nothing. */
    private static String nearest(String name) {
        String best = nearest(name, KNOWN);
        return best == null ? "" : "; did you mean " + best + "?";
    }

    /**
     * The name in {@code known} fewer than four edits from {@code name}, case aside (a misspelling, not another
     * name), or null: the suggestion every unknown setting's message makes, a property or a filter's init-param.
     */
    public static String nearest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = 4;
        String lower = name.toLowerCase(Locale.ROOT);
        for (String key : known) {
            int distance = distance(lower, key.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = key;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** As MicroProfile Config maps a key to an environment variable, in upper case. */
    private static String variable(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Every key constant of {@link ResponseCacheProperties}. */
    private static Set<String> known() {
        Set<String> keys = new TreeSet<>();
        for (Field field : ResponseCacheProperties.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    String key = (String) field.get(null);
                    if (key.startsWith(PREFIX)) {
                        keys.add(key);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Set.copyOf(keys);
    }
}
