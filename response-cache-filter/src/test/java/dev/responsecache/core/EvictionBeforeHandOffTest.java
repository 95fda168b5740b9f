package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.Threads;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A miss that leads its key stores its response, then wakes the requests coalesced behind it and hands them the
 * entry. An eviction that completes between the two (the store of a variant copy, or of the tag index, is one more
 * Redis round trip there) has removed the entry: a request that starts after the eviction has completed, and waits
 * for that leader, must not be answered with what the eviction removed.
 */
class EvictionBeforeHandOffTest {

    private final MutableClock clock = new MutableClock();
    private final ResponseStore ehcache = new EhcacheStoreProvider()
            .create(new StoreContext(new PropertyValues(name -> null), clock));
    /** Reached once the leader's entry is in the store; opened by the test to let the leader release its key. */
    private final CountDownLatch stored = new CountDownLatch(1);
    private final CountDownLatch proceed = new CountDownLatch(1);
    private final ResponseStore gated = new ResponseStore() {
        @Override
        public CacheEntry get(String key) {
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
            boolean put = ehcache.put(entry, tags, mark);
            stored.countDown();
            try {
                assertTrue(proceed.await(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return put;
        }

        @Override
        public long evict(Set<String> tags) {
            return ehcache.evict(tags);
        }

        @Override
        public long evictAll() {
            return ehcache.evictAll();
        }

        @Override
        public boolean evicts() {
            return true;
        }

        @Override
        public void close() {
            ehcache.close();
        }
    };
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            gated);
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(60), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        proceed.countDown();
        threads.shutdownNow();
        cache.close();
    }

    @Test
    void requestStartedAfterAnEvictionIsNotHandedTheEntryItRemoved() throws Exception {
        FakeRequest request = FakeRequest.get("/products/1", null);
        Lookup leader = cache.lookup(policy, request);
        assertEquals(Lookup.Outcome.MISS, leader.outcome());
        // The leader read the product before it changed; its store is under way.
        Future<CacheEntry> storing = threads.submit(() -> cache.store(leader, 200, List.of(), new byte[] {1}));
        assertTrue(stored.await(60, TimeUnit.SECONDS));
        // The product changes: the eviction completes (a PUT's response, the invalidator's return) ...
        assertEquals(1, cache.invalidator().evictPath("/products/1"));
        // ... and only then does the next reader ask.
        Future<Lookup> reader = threads.submit(() -> cache.lookup(policy, request));
        Threads.awaitWaitingIn(InFlight.class.getName(), 1);
        proceed.countDown();
        assertNotNull(storing.get(60, TimeUnit.SECONDS));
        Lookup read = reader.get(60, TimeUnit.SECONDS);
        assertEquals(Lookup.Outcome.MISS, read.outcome(), "answered with the evicted entry");
    }
}
