package dev.responsecache.ehcache;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

/** {@code responsecache.store=ehcache} (the default): an embedded, bounded, per-instance store. */
public final class EhcacheStoreProvider implements ResponseStoreProvider {

    /**
     * The heap tier's default share of the JVM's maximum heap: small enough that the cache never starves the
     * application it serves (entries are weighed by their bytes), large enough to hold a useful working set.
     */
    static final int DEFAULT_HEAP_FRACTION = 10;

    @Override
    public String name() {
        return "ehcache";
    }

    @Override
    public ResponseStore create(StoreContext context) {
        PropertyValues properties = context.properties();
        long offHeapBytes = properties.size(ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, 0);
        String entries = properties.string(ResponseCacheProperties.EHCACHE_MAX_ENTRIES);
        if (entries == null) {
            // Ehcache requires each tier to be smaller than the one below it.
            long heapDefault = offHeapBytes > 0 ? Math.min(defaultHeapBytes(), offHeapBytes / 2) : defaultHeapBytes();
            long heapBytes = properties.size(ResponseCacheProperties.EHCACHE_HEAP_SIZE, heapDefault);
            if (heapBytes <= 0 || (offHeapBytes > 0 && heapBytes >= offHeapBytes)) {
                throw ResponseCacheConfigException.badValue(ResponseCacheProperties.EHCACHE_HEAP_SIZE,
                        properties.string(ResponseCacheProperties.EHCACHE_HEAP_SIZE), offHeapBytes > 0
                                ? "a positive size below " + ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE
                                : "a positive size");
            }
            return new EhcacheStore(heapBytes, 0, offHeapBytes, context.clock());
        }
        if (properties.string(ResponseCacheProperties.EHCACHE_HEAP_SIZE) != null) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, entries,
                    "unset when " + ResponseCacheProperties.EHCACHE_HEAP_SIZE + " is set (the heap tier is bounded"
                            + " either by bytes or by count)");
        }
        int maxEntries = properties.positiveInt(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, 1);
        return new EhcacheStore(0, maxEntries, offHeapBytes, context.clock());
    }

    /** A tenth of the maximum heap ({@code -Xmx}); with an off-heap tier, at most half of that tier. */
    static long defaultHeapBytes() {
        return Runtime.getRuntime().maxMemory() / DEFAULT_HEAP_FRACTION;
    }
}
