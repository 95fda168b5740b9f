package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

import java.util.ServiceLoader;
import java.util.TreeSet;

import org.slf4j.LoggerFactory;

/** Finds the store named by {@code responsecache.store} among the {@link ResponseStoreProvider}s on the class path. */
final class StoreLoader {

    private StoreLoader() {
    }

    /** The embedded store, which also serves as the near tier in front of a shared one. */
    private static final String EMBEDDED = "ehcache";

    static ResponseStore open(CacheSettings settings, PropertyValues properties) {
        int nearEntries = properties.nonNegativeInt(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, 0);
        long nearBytes = properties.size(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE, 0);
        if (nearEntries > 0 && nearBytes > 0) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE,
                    properties.string(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE), "unset when "
                            + ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES + " is set (one bound: bytes or entries)");
        }
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
        if (store.evictionFeed() == null) {
            LoggerFactory.getLogger("dev.responsecache").warn("The store '{}' offers no eviction feed: an eviction by"
                    + " another instance reaches this instance's near tier ({}) only when its copies expire",
                    settings.storeName(), ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES);
        }
        return new TwoLevelStore(near, store, settings.clock());
    }

    private static ResponseStoreProvider provider(String name, String property) {
        TreeSet<String> known = new TreeSet<>();
        ClassLoader loader = StoreLoader.class.getClassLoader();
        for (ResponseStoreProvider provider : ServiceLoader.load(ResponseStoreProvider.class, loader)) {
            if (provider.name().equals(name)) {
                return provider;
            }
            known.add(provider.name());
        }
        throw ResponseCacheConfigException.badValue(property, name, "one of " + String.join(", ", known));
    }
}
