package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
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
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * A request's store calls, reads and writes together, stay within {@code responsecache.store-budget}: time is a
 * monotonic source the store itself moves on, so a slow store is simulated exactly, without waiting.
 */
class StoreBudgetTest {

    private static final Duration CALL_BOUND = Duration.ofMillis(200);

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanoTime = new AtomicLong();
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);

    @Test
    void writeThatWouldTakeTheRequestPastItsBudgetIsSkipped() {
        SlowStore store = new SlowStore(Duration.ofMillis(150));
        try (ResponseCache cache = cache(store, Duration.ofMillis(300))) {
            Lookup miss = cache.lookup(policy, FakeRequest.get("/slow", null));
            assertEquals(Lookup.Outcome.MISS, miss.outcome());
            assertNull(cache.store(miss, 200, List.of(), new byte[] {1}), "150 ms spent + a 200 ms call > 300 ms");
            assertEquals(0, store.puts.get());
        }
    }

    @Test
    void invalidationMarkCountsAgainstTheBudgetSoTheWriteIsSkipped() {
        SlowStore store = new SlowStore(Duration.ofMillis(190));
        try (ResponseCache cache = cache(store, Duration.ofMillis(400))) {
            long before = nanoTime.get();
            Lookup miss = cache.lookup(policy, FakeRequest.get("/slow", null), List.of());
            assertNull(cache.store(miss, 200, List.of(), new byte[] {1}),
                    "read 190 ms + mark 190 ms + a 200 ms call > 400 ms");
            assertEquals(0, store.puts.get());
            assertTrue(nanoTime.get() - before <= Duration.ofMillis(400).toNanos(), "within the budget");
        }
    }

    @Test
    void readMarkAndWriteWithinTheBudgetAreAllMade() {
        SlowStore store = new SlowStore(Duration.ofMillis(100));
        try (ResponseCache cache = cache(store, null)) {
            Lookup miss = cache.lookup(policy, FakeRequest.get("/slow", null));
            assertNotNull(cache.store(miss, 200, List.of(), new byte[] {1}),
                    "the default budget, twice the longest call, covers a read, the mark and a write");
            assertEquals(1, store.puts.get());
            assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, FakeRequest.get("/slow", null)).outcome());
        }
    }

    @Test
    void budgetBelowOneStoreCallFailsTheStartUpNamingTheProperty() {
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class,
                () -> cache(new SlowStore(Duration.ZERO), Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("responsecache.store-budget"), e.getMessage());
        assertTrue(e.getMessage().contains("100ms"), e.getMessage());
    }

    private ResponseCache cache(ResponseStore store, Duration budget) {
        return new ResponseCache(new CacheSettings(true, "slow", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES),
                "X-Cache", Duration.ofSeconds(30), clock), store, byte[]::new, nanoTime::get, budget);
    }

    /** The embedded store, each call of which takes {@code latency} on the test's monotonic time source. */
    private final class SlowStore implements ResponseStore {

        private final ResponseStore real = new EhcacheStoreProvider()
                .create(new StoreContext(new PropertyValues(name -> null), clock));
        private final long latencyNanos;
        private final AtomicInteger puts = new AtomicInteger();

        SlowStore(Duration latency) {
            this.latencyNanos = latency.toNanos();
        }

        @Override
        public CacheEntry get(String key) {
            nanoTime.addAndGet(latencyNanos);
            return real.get(key);
        }

        @Override
        public void put(CacheEntry entry) {
            nanoTime.addAndGet(latencyNanos);
            puts.incrementAndGet();
            real.put(entry);
        }

        @Override
        public long invalidationMark() {
            nanoTime.addAndGet(latencyNanos);
            return real.invalidationMark();
        }

        @Override
        public boolean put(CacheEntry entry, Set<String> tags, long mark) {
            nanoTime.addAndGet(latencyNanos);
            puts.incrementAndGet();
            return real.put(entry, tags, mark);
        }

        @Override
        public Duration callBound() {
            return CALL_BOUND;
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
