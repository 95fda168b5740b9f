package dev.responsecache.ehcache;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.TierSize;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;

import org.ehcache.Cache;
import org.ehcache.CacheManager;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.core.spi.service.ServiceFactory;
import org.ehcache.core.spi.service.StatisticsService;
import org.ehcache.core.statistics.TierStatistics;

/**
 * Entries on the heap as objects (a hit decodes nothing and copies nothing), bounded by bytes (each entry weighed by
 * {@link EntryWeigher}) or, when configured so, by count; optionally spilling to an off-heap tier bounded by bytes,
 * where they are kept in the {@link dev.responsecache.spi.EntryCodec} form. Each entry expires at its own
 * {@link CacheEntry#expiresAtMillis()}, measured on the cache's clock.
 */
final class EhcacheStore implements ResponseStore {

    private final StatisticsService statistics = statisticsService();
    private final String alias;

    private final CacheManager manager;
    private final Cache<String, CacheEntry> cache;
    private final LocalTagIndex index;
    private final SharedHeaders sharedHeaders = new SharedHeaders();

    /**
     * @param heapBytes  bound of the heap tier in bytes, or 0 to bound it by {@code maxEntries} instead
     * @param maxEntries bound of the heap tier in entries, used when {@code heapBytes} is 0
     */
    @SuppressWarnings("deprecation") // EntryWeigher implements a deprecated SPI: see there.
    EhcacheStore(long heapBytes, int maxEntries, long offHeapBytes, Clock clock) {
        ResourcePoolsBuilder pools = heapBytes > 0
                ? ResourcePoolsBuilder.newResourcePoolsBuilder().with(new HeapBytes(heapBytes))
                : ResourcePoolsBuilder.heap(maxEntries);
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
        // Ehcache keeps its tier statistics anyway; handing it the service only lets sizes() read them.
        CacheManagerBuilder<CacheManager> builder = CacheManagerBuilder.newCacheManagerBuilder()
                .using(new CacheClock(clock)).using(statistics);
        if (heapBytes > 0) {
            builder = builder.using(new EntryWeigher());
        }
        this.manager = builder.withCache(alias, config).build(true);
        this.cache = manager.getCache(alias, String.class, CacheEntry.class);
        this.alias = alias;
        this.index = new LocalTagIndex(cache);
    }

    @Override
    public CacheEntry get(String key) {
        return cache.get(key);
    }

    @Override
    public void put(CacheEntry entry) {
        cache.put(entry.key(), sharedHeaders.shared(entry));
    }

    /** Each tier as Ehcache counts it: {@code heap} (bytes only when bounded by bytes) and {@code offheap}. */
    @Override
    public List<TierSize> sizes() {
        List<TierSize> sizes = new ArrayList<>(2);
        for (Map.Entry<String, TierStatistics> tier
                : statistics.getCacheStatistics(alias).getTierStatistics().entrySet()) {
            TierStatistics counts = tier.getValue();
            String name = tier.getKey().toLowerCase(Locale.ROOT).replace("onheap", "heap");
            sizes.add(new TierSize(name, counts.getMappings(), counts.getOccupiedByteSize(), counts.getEvictions()));
        }
        return sizes;
    }

    /**
     * The off-heap tier when there is one (the heap tier in front of it only moves its evictions there), else the heap
     * tier. Ehcache keeps these statistics anyway; reading them walks its two tiers' counters.
     */
    @Override
    public TierSize capacityTier() {
        TierSize bound = null;
        for (TierSize tier : sizes()) {
            if (bound == null || tier.tier().equals("offheap")) {
                bound = tier;
            }
        }
        return bound;
    }

    @Override
    public long invalidationMark() {
        return index.mark();
    }

    @Override
    public boolean put(CacheEntry entry, Set<String> tags, long mark) {
        return index.put(sharedHeaders.shared(entry), tags, mark);
    }

    @Override
    public long evict(Set<String> tags) {
        return index.evict(tags);
    }

    @Override
    public boolean evicts() {
        return true;
    }

    @Override
    public long evictAll() {
        return index.evictAll();
    }

    /** Keys and tags held by the tag index, for tests of its bound. */
    int indexSize() {
        return index.size();
    }

    /** The instance of {@code tag} the tag index holds for {@code key}, for tests that a shared tag is held once. */
    String indexedTag(String key, String tag) {
        return index.heldTag(key, tag);
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * Ehcache's own statistics service, created through its public service SPI as Ehcache itself finds it (the
     * implementing class is internal to Ehcache, so it is never named here).
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static StatisticsService statisticsService() {
        for (ServiceFactory factory : ServiceLoader.load(ServiceFactory.class, EhcacheStore.class.getClassLoader())) {
            if (StatisticsService.class.isAssignableFrom(factory.getServiceType())) {
                return (StatisticsService) factory.create(null);
            }
        }
        throw new IllegalStateException("Ehcache's statistics service was not found on the class path");
    }
}
