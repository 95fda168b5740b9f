package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * A lookup that finds no near copy reads the shared store past the near tier: it read the near tier once alone
 * ({@code readNear}), then again inside {@code TwoLevelStore.lookUp}, on every near-tier miss.
 */
class NearTierReadTwiceOnEveryNearMissTest {

    private final MutableClock clock = new MutableClock();

    private ResponseStore ehcache() {
        return new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
    }

    @Test
    void nearMissReadsTheNearTierOnceAndTheSharedStoreOnce() {
        ResponseStore nearStore = ehcache();
        ResponseStore sharedStore = ehcache();
        AtomicInteger nearReads = new AtomicInteger();
        AtomicInteger sharedReads = new AtomicInteger();
        ResponseStore near = counted(nearStore, nearReads);
        ResponseStore shared = counted(sharedStore, sharedReads);
        CacheSettings settings = new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES),
                "X-Cache", Duration.ofSeconds(5), clock);
        CachePolicy policy = new CachePolicy(Duration.ofHours(1), List.of(), Set.copyOf(CacheSettings.DEFAULT_STATUSES),
                false);
        try (ResponseCache cache = new ResponseCache(settings, new TwoLevelStore(near, shared, clock))) {
            Lookup miss = cache.lookup(policy, FakeRequest.get("/p", null), List.of());
            assertEquals(Lookup.Outcome.MISS, miss.outcome());
            assertEquals(1, nearReads.get(), "the near tier, read once");
            assertEquals(1, sharedReads.get(), "the shared store, read once");

            // The entry another instance stored: read from the shared store, kept near, then answered from there.
            long now = clock.millis();
            String key = CacheKeys.of(FakeRequest.get("/q", null), policy);
            sharedStore.put(new CacheEntry(key, 200, List.of(), new byte[] {1}, now, now + 60_000, List.of()),
                    Set.of("/q"), sharedStore.invalidationMark());
            nearReads.set(0);
            sharedReads.set(0);
            assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, FakeRequest.get("/q", null), List.of()).outcome());
            assertEquals(1, nearReads.get(), "a near miss reads the near tier once");
            assertEquals(1, sharedReads.get());
            assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, FakeRequest.get("/q", null), List.of()).outcome());
            assertEquals(2, nearReads.get(), "then the near copy answers");
            assertEquals(1, sharedReads.get(), "without the shared store");
        }
    }

    /** {@code store}, its reads counted. */
    private static ResponseStore counted(ResponseStore store, AtomicInteger reads) {
        return new ResponseStore() {
            public CacheEntry get(String key) {
                reads.incrementAndGet();
                return store.get(key);
            }
            public void put(CacheEntry entry) { store.put(entry); }
            public boolean put(CacheEntry entry, Set<String> tags, long mark) { return store.put(entry, tags, mark); }
            public long invalidationMark() { return store.invalidationMark(); }
            public long evict(Set<String> tags) { return store.evict(tags); }
            public long evictAll() { return store.evictAll(); }
            public boolean evicts() { return true; }
            public void close() { store.close(); }
        };
    }
}
