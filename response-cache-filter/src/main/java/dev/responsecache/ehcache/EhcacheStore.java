package dev.responsecache.ehcache;

import dev.responsecache.core.CacheEntry;
import dev.responsecache.spi.ResponseStore;

import java.time.Clock;
import java.util.Set;
import java.util.UUID;

import org.ehcache.Cache;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.impl.internal.TimeSourceConfiguration;

/**
 * Entries on the heap as objects (a hit decodes nothing and copies nothing), bounded by count; optionally spilling
 * to an off-heap tier bounded by bytes, where they are kept in the {@link dev.responsecache.core.EntryCodec} form.
 * Each entry expires at its own {@link CacheEntry#expiresAtMillis()}, measured on the cache's clock.
 */
final class EhcacheStore implements ResponseStore {

    private final CacheManager manager;
    private final Cache<String, CacheEntry> cache;
    private final LocalTagIndex index;

    EhcacheStore(int maxEntries, long offHeapBytes, Clock clock) {
        ResourcePoolsBuilder pools = ResourcePoolsBuilder.heap(maxEntries);
        if (offHeapBytes > 0) {
            pools = pools.offheap(offHeapBytes, MemoryUnit.B);
        }
        CacheConfigurationBuilder<String, CacheEntry> config = CacheConfigurationBuilder
                .newCacheConfigurationBuilder(String.class, CacheEntry.class, pools)
                .withExpiry(new EntryExpiry(clock));
        if (offHeapBytes > 0) {
            config = config.withValueSerializer(new EntrySerializer());
        }
        // A unique alias: several applications (or tests) in one JVM each get their own cache manager.
        String alias = "responses-" + UUID.randomUUID();
        this.manager = CacheManagerBuilder.newCacheManagerBuilder()
                .using(new TimeSourceConfiguration(clock::millis))
                .withCache(alias, config)
                .build(true);
        this.cache = manager.getCache(alias, String.class, CacheEntry.class);
        this.index = new LocalTagIndex(cache, clock);
    }

    @Override
    public CacheEntry get(String key) {
        return cache.get(key);
    }

    @Override
    public void put(CacheEntry entry) {
        cache.put(entry.key(), entry);
    }

    @Override
    public long invalidationMark() {
        return index.mark();
    }

    @Override
    public void put(CacheEntry entry, Set<String> tags, long mark) {
        index.put(entry, tags, mark);
    }

    @Override
    public long evict(Set<String> tags) {
        return index.evict(tags);
    }

    @Override
    public long evictAll() {
        return index.evictAll();
    }

    /** Keys and tags held by the tag index, for tests of its bound. */
    int indexSize() {
        return index.size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
