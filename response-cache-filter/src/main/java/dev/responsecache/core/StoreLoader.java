package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/** Finds the store named by {@code responsecache.store} among the {@link ResponseStoreProvider}s on the class path. */
final class StoreLoader {

    private StoreLoader() {
    }

    /** The embedded store, which also serves as the near tier in front of a shared one. */
    private static final String EMBEDDED = "ehcache";

    private static final String PREFIX = "responsecache.";
    private static final String NEAR_CACHE = PREFIX + "near-cache.";

    /**
     * Checks the store's name, the near tier's settings and the settings of every store on the class path, the one
     * in use or not, and opens nothing: so that a bad value fails every start-up, also one with another store or
     * with the cache off.
     */
    static void check(CacheSettings settings, PropertyValues properties) {
        provider(settings.storeName(), ResponseCacheProperties.STORE);
        nearEntries(properties);
        nearBytes(properties);
        for (ResponseStoreProvider provider : providers()) {
            provider.checkSettings(properties);
        }
    }

    /**
     * The keys among {@code given} that have no effect with the store in use, each group with the reason, for one
     * line at start-up; or null when every one has an effect. Valid, so not an error: one configuration may serve
     * environments that use different stores.
     */
    static String ignored(String storeName, Set<String> given) {
        List<String> reasons = new ArrayList<>();
        for (ResponseStoreProvider provider : providers()) {
            String name = provider.name();
            if (!name.equals(storeName)) {
                String why = name.equals(EMBEDDED)
                        ? "the near tier in front of '" + storeName + "' is bounded by " + NEAR_CACHE + "*"
                        : "the store is '" + storeName + "'";
                keys(given, PREFIX + name + ".", why, reasons);
            }
        }
        if (storeName.equals(EMBEDDED)) {
            keys(given, NEAR_CACHE, "the store is '" + EMBEDDED + "', which has no shared tier to keep near copies of",
                    reasons);
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private static void keys(Set<String> given, String prefix, String why, List<String> reasons) {
        List<String> keys = given.stream().filter(key -> key.startsWith(prefix)).sorted().toList();
        if (!keys.isEmpty()) {
            reasons.add(String.join(", ", keys) + " (" + why + ")");
        }
    }

    static ResponseStore open(CacheSettings settings, PropertyValues properties) {
        int nearEntries = nearEntries(properties);
        long nearBytes = nearBytes(properties);
        ResponseStore store = provider(settings.storeName(), ResponseCacheProperties.STORE)
                .create(new StoreContext(properties, settings.clock()));
        if (nearEntries == 0 && nearBytes == 0 || settings.storeName().equals(EMBEDDED)) {
            return store;
        }
        // The near tier is the embedded store with its own bound (entries or bytes) and no off-heap tier, whatever the
        // shared one has.
        PropertyValues nearProperties = new PropertyValues(name -> switch (name) {
            case ResponseCacheProperties.EHCACHE_MAX_ENTRIES -> nearEntries > 0 ? Integer.toString(nearEntries) : null;
            case ResponseCacheProperties.EHCACHE_HEAP_SIZE -> nearBytes > 0 ? Long.toString(nearBytes) : null;
            case ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE -> null;
            default -> properties.object(name);
        });
        ResponseStore near = provider(EMBEDDED, ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES)
                .create(new StoreContext(nearProperties, settings.clock()));
        // A shared store without an eviction feed is warned of in TwoLevelStore.started(), after the start-up line.
        return new TwoLevelStore(near, store, settings.clock(), settings.storeName(), nearEntries > 0
                ? ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES : ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE);
    }

    private static int nearEntries(PropertyValues properties) {
        return properties.nonNegativeInt(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, 0);
    }

    private static long nearBytes(PropertyValues properties) {
        long nearBytes = properties.size(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE, 0);
        if (nearEntries(properties) > 0 && nearBytes > 0) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE,
                    properties.string(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE), "unset when "
                            + ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES + " is set (one bound: bytes or entries)");
        }
        return nearBytes;
    }

    private static Iterable<ResponseStoreProvider> providers() {
        return ServiceLoader.load(ResponseStoreProvider.class, StoreLoader.class.getClassLoader());
    }

    private static ResponseStoreProvider provider(String name, String property) {
        TreeSet<String> known = new TreeSet<>();
        for (ResponseStoreProvider provider : providers()) {
            if (provider.name().equals(name)) {
                return provider;
            }
            known.add(provider.name());
        }
        throw ResponseCacheConfigException.badValue(property, name, "one of " + String.join(", ", known));
    }
}
