package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StaleWindows;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stale answer that comes while a failed stale-while-revalidate refresh ends, on the same instance: it must not
 * take that refresh's own lease, not yet released, for another instance's refresh and leave the key to it for a
 * whole lease. The leases are an in-memory table with Redis's semantics ({@code SET NX PX}, compare-and-delete),
 * whose release lets the test's stale answer come at the moment a slow release to Redis would let it.
 */
class StaleAnswerDuringAFailedRefreshsReleaseTest {

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong(TimeUnit.DAYS.toNanos(1));
    private final LeaseTable leases = new LeaseTable();
    private final ResponseStore ehcache =
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
    private final ResponseStore store = new ResponseStore() {
        public CacheEntry get(String key) { return ehcache.get(key); }
        public void put(CacheEntry e) { ehcache.put(e); }
        public boolean put(CacheEntry e, Set<String> t, long m) { return ehcache.put(e, t, m); }
        public long invalidationMark() { return ehcache.invalidationMark(); }
        public boolean evicts() { return true; }
        public long evict(Set<String> t) { return ehcache.evict(t); }
        public KeyLeases keyLeases() { return leases; }
        public void close() { ehcache.close(); }
    };
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(300), clock),
            store, byte[]::new, nanos::get, null);
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(60), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false, new StaleWindows(30_000, 0), CachePolicy.UNNAMED);
    private final FakeRequest request = FakeRequest.get("/swr/b", null);
    private final List<Header> text = List.of(new Header("Content-Type", "text/plain"));

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void staleAnswerDuringAFailedRefreshsReleaseDoesNotTakeItsOwnLeaseForAnotherInstancesRefresh() throws Exception {
        Field cluster = ResponseCache.class.getDeclaredField("cluster");
        cluster.setAccessible(true);
        // A 150 s lease, as coalesce-wait 300 s gives: left to another instance, the key is not refreshed that long.
        cluster.set(cache, ClusterFlight.of(() -> leases, new PropertyValues(Map.<String, Object>of(
                        ClusterFlight.RENEWALS, (Consumer<Runnable>) renewal -> { })::get),
                Duration.ofSeconds(300), nanos::get, CacheEvents.NONE));
        assertNotNull(cache.store(cache.lookup(policy, request), 200, text, new byte[] {1}));
        clock.advance(Duration.ofSeconds(61));

        Lookup failing = cache.lookup(policy, request).refresh();
        assertNotNull(failing, "the first stale answer refreshes");
        assertTrue(cache.beginRefresh(failing));
        // The refresh's servlet answers 503; while its lease is being released, the next stale answer comes and, once
        // answered, begins the refresh it carries, if it won the key.
        Lookup[] during = new Lookup[1];
        boolean[] begun = new boolean[1];
        leases.beforeRelease = () -> {
            during[0] = cache.lookup(policy, request);
            Lookup refresh = during[0].refresh();
            if (refresh != null) {
                begun[0] = cache.beginRefresh(refresh);
                cache.endRefresh(refresh);
            }
        };
        assertNull(cache.store(failing, 503, text, new byte[] {5}));
        cache.endRefresh(failing);
        assertNotNull(during[0], "the release came");
        assertTrue(during[0].revalidating(), "answered stale meanwhile");
        assertTrue(during[0].refresh() == null || begun[0],
                "took this instance's own lease, still held, for another instance's refresh");

        Lookup next = cache.lookup(policy, request).refresh();
        assertNotNull(next, "after the failed refresh ended, the next stale answer refreshes the key again");
        assertTrue(cache.beginRefresh(next), "this instance refreshes it: no other instance holds the key");
        assertNotNull(cache.store(next, 200, text, new byte[] {2}));
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, request).outcome());
    }

    private record Lease(String token, long expiresAtNanos) {
    }

    /** Leases as Redis keeps them, expiring on the test's monotonic source. */
    private final class LeaseTable implements KeyLeases {
        final Map<String, Lease> leases = new HashMap<>();
        /** Runs once, as a release reaches the table, before the lease is deleted. */
        Runnable beforeRelease;

        private Lease live(String key) {
            Lease lease = leases.get(key);
            return lease != null && nanos.get() - lease.expiresAtNanos() < 0 ? lease : null;
        }

        @Override
        public Contender contend(String key) {
            return new Contender() {
                @Override
                public long tryTake(String token, Duration duration) {
                    Lease lease = live(key);
                    if (lease != null) {
                        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(lease.expiresAtNanos() - nanos.get()));
                    }
                    leases.put(key, new Lease(token, nanos.get() + duration.toNanos()));
                    return TAKEN;
                }

                @Override
                public boolean awaitRelease(long nanos) {
                    throw new AssertionError("no request waits for a lease here");
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void release(String key, String token) {
                        Runnable hook = beforeRelease;
            beforeRelease = null;
            if (hook != null) {
                hook.run();
            }
            Lease lease = live(key);
            if (lease != null && lease.token().equals(token)) {
                leases.remove(key);
            }
        }

        @Override
        public boolean extend(String key, String token, Duration duration) {
            Lease lease = live(key);
            if (lease == null || !lease.token().equals(token)) {
                return false;
            }
            leases.put(key, new Lease(token, nanos.get() + duration.toNanos()));
            return true;
        }
    }
}
