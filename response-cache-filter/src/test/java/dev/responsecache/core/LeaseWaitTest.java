package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** A request that waited for another instance's lease starts its own origin request afterwards. */
class LeaseWaitTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void leaseWaitIsNotCountedAsTheOriginsResponseDelay() throws Exception {
        ResponseStore ehcache = new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(n -> null), clock));
        KeyLeases leases = new KeyLeases() {
            @Override
            public Contender contend(String key) {
                return new Contender() {
                    int tries;
                    @Override public long tryTake(String token, Duration d) { return tries++ == 0 ? 2500 : TAKEN; }
                    @Override public boolean awaitRelease(long nanos) {
                        // Another instance's holder died; its lease ran out.
                        clock.advance(Duration.ofMillis(2500));
                        return false;
                    }
                    @Override public void close() { }
                };
            }
            @Override public void release(String key, String token) { }
        };
        ResponseStore store = new ResponseStore() {
            public CacheEntry get(String key) { return ehcache.get(key); }
            public void put(CacheEntry e) { ehcache.put(e); }
            public boolean put(CacheEntry e, Set<String> t, long m) { return ehcache.put(e, t, m); }
            public long invalidationMark() { return ehcache.invalidationMark(); }
            public boolean evicts() { return true; }
            public long evict(Set<String> t) { return ehcache.evict(t); }
            public KeyLeases keyLeases() { return leases; }
            public void close() { ehcache.close(); }
        };
        CacheSettings settings = new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES),
                "X-Cache", Duration.ofSeconds(5), clock);
        ResponseCache cache = new ResponseCache(settings, store);
        Field f = ResponseCache.class.getDeclaredField("cluster");
        f.setAccessible(true);
        f.set(cache, ClusterFlight.of(() -> leases, new PropertyValues(Map.<String, Object>of()::get),
                Duration.ofSeconds(5), System::nanoTime, CacheEvents.NONE));
        CachePolicy policy = new CachePolicy(Duration.ofHours(1), List.of(),
                Set.copyOf(CacheSettings.DEFAULT_STATUSES), false).fromHeaders();
        FakeRequest request = FakeRequest.get("/p", null);
        Lookup miss = cache.lookup(policy, request, List.of());
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        // The method runs now, after the wait, and answers at once with a 2-second lifetime.
        CacheEntry stored = cache.store(miss, 200, List.of(new Header("Cache-Control", "max-age=2")), new byte[] {1});
        assertNotNull(stored, "refused as already stale: the 2.5 s lease wait was taken for the origin's delay");
    }
}
