package dev.responsecache.testing;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code responsecache.store=counting}: the embedded Ehcache store, with every {@code get} counted in the
 * {@link AtomicInteger} the application gives as the property {@value #READS}, so that a test can tell how many
 * times a request read the store (one per request is what a Redis round trip costs).
 */
public final class CountingStoreProvider implements ResponseStoreProvider {

    /** The property holding the test's read counter. */
    public static final String READS = "responsecache.counting.store-reads";
    /** An optional property: a {@code List<String>} (thread-safe) to which every key read is added, in order. */
    public static final String KEYS = "responsecache.counting.store-keys";
    /** An optional property: the {@link KeyLeases} the store offers (none when absent, as Ehcache offers none). */
    public static final String LEASES = "responsecache.counting.store-leases";

    @Override
    public String name() {
        return "counting";
    }

    @Override
    public ResponseStore create(StoreContext context) {
        AtomicInteger reads = (AtomicInteger) context.properties().object(READS);
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) context.properties().object(KEYS);
        KeyLeases leases = (KeyLeases) context.properties().object(LEASES);
        ResponseStore ehcache = new EhcacheStoreProvider().create(context);
        return new ResponseStore() {
            @Override
            public CacheEntry get(String key) {
                reads.incrementAndGet();
                if (keys != null) {
                    keys.add(key);
                }
                return ehcache.get(key);
            }

            @Override
            public void put(CacheEntry entry) {
                ehcache.put(entry);
            }

            @Override
            public long invalidationMark() {
                return ehcache.invalidationMark();
            }

            @Override
            public boolean put(CacheEntry entry, Set<String> tags, long mark) {
                return ehcache.put(entry, tags, mark);
            }

            @Override
            public long evictAll() {
                return ehcache.evictAll();
            }

            @Override
            public boolean evicts() {
                return ehcache.evicts();
            }

            @Override
            public long evict(Set<String> tags) {
                return ehcache.evict(tags);
            }

            @Override
            public KeyLeases keyLeases() {
                return leases;
            }

            @Override
            public void close() {
                ehcache.close();
            }
        };
    }
}
