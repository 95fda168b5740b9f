package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.spi.TierSize;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store whose capacity statistics cannot be read (admission reads them once a second of the ticker, by a miss):
 * the failure was counted as a store fault, so the store was "failing" and every peek in front of the runtime
 * bypassed as {@code store-unavailable} until the next store call succeeded. Statistics say nothing of the entries:
 * their failure is "cannot tell", no pressure, and the store is not failing.
 */
class StatisticsReadFailureMadePeeksBypassTest {

    private static final CachePolicy POLICY = new CachePolicy(Duration.ofSeconds(60), List.of(), Set.of(200), false);

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong();
    private final UnreadableStatistics store = new UnreadableStatistics(clock);
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock), store, byte[]::new, nanos::get, null);

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void aFailedStatisticsReadLeavesPeeksAnsweringAndMissesAdmitted() {
        Lookup miss = cache.lookup(POLICY, FakeRequest.get("/document", null));
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        cache.store(miss, 200, List.of(), new byte[] {1});
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());

        Lookup other = cache.lookup(POLICY, FakeRequest.get("/other", null));
        assertEquals(Lookup.Outcome.MISS, other.outcome(), "no pressure known: admitted, " + other.reason());
        cache.release(other);
        assertEquals(2, store.statisticsReads.get(), "read by the first miss and by the one a second later");

        Lookup peeked = cache.peek(POLICY, FakeRequest.get("/document", null));
        assertEquals(Lookup.Outcome.HIT, peeked.outcome(), "the store is not failing: " + peeked.reason());
        CacheHealth health = cache.health();
        assertEquals(0, health.failingCalls(), "no store fault");
        assertEquals(null, health.lastFault(), "none reported as the store's");
    }

    /** A real Ehcache store whose capacity statistics fail to read. */
    private static final class UnreadableStatistics implements ResponseStore {

        private final ResponseStore real;
        final AtomicLong statisticsReads = new AtomicLong();

        UnreadableStatistics(MutableClock clock) {
            real = new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
        }

        @Override
        public CacheEntry get(String key) {
            return real.get(key);
        }

        @Override
        public void put(CacheEntry entry) {
            real.put(entry);
        }

        @Override
        public boolean put(CacheEntry entry, Set<String> tags, long mark) {
            return real.put(entry, tags, mark);
        }

        @Override
        public long invalidationMark() {
            return real.invalidationMark();
        }

        @Override
        public TierSize capacityTier() {
            statisticsReads.incrementAndGet();
            throw new IllegalStateException("statistics service not available");
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
