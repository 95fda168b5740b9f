package dev.responsecache.ehcache;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.core.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

/** {@code responsecache.store=ehcache} (the default): an embedded, bounded, per-instance store. */
public final class EhcacheStoreProvider implements ResponseStoreProvider {

    static final int DEFAULT_MAX_ENTRIES = 10_000;

    @Override
    public String name() {
        return "ehcache";
    }

    @Override
    public ResponseStore create(StoreContext context) {
        PropertyValues properties = context.properties();
        int maxEntries = properties.positiveInt(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, DEFAULT_MAX_ENTRIES);
        long offHeapBytes = properties.size(ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, 0);
        return new EhcacheStore(maxEntries, offHeapBytes, context.clock());
    }
}
