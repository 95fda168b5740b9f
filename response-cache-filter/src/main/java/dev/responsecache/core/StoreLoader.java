package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds the store named by {@code responsecache.store} among the {@link ResponseStoreProvider}s on the class path. */
final class StoreLoader {

    private StoreLoader() {
    }

    static ResponseStore open(CacheSettings settings, PropertyValues properties) {
        TreeSet<String> known = new TreeSet<>();
        ClassLoader loader = StoreLoader.class.getClassLoader();
        for (ResponseStoreProvider provider : ServiceLoader.load(ResponseStoreProvider.class, loader)) {
            if (provider.name().equals(settings.storeName())) {
                return provider.create(new StoreContext(properties, settings.clock()));
            }
            known.add(provider.name());
        }
        throw ResponseCacheConfigException.badValue(ResponseCacheProperties.STORE, settings.storeName(),
                "one of " + String.join(", ", known));
    }
}
