package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.redis.RedisStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.Threads;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link EvictionBeforeHandOffTest} on Redis, with the eviction made by another instance: a request that starts after
 * it must not be handed, by the leader it waits for, what the eviction removed; neither the entry that leader stored
 * nor the one it read under another instance's lease.
 */
class RedisEvictionBeforeHandOffIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final String PATIENT = "30s";

    private final String prefix = "rc-test-" + UUID.randomUUID() + ":";
    private final MutableClock clock = new MutableClock();
    private final ResponseStore redisA = redisStore();
    private final ResponseStore redisB = redisStore();
    /** Reached once instance A's leader has what it will hand over; opened by the test to let it go on. */
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch proceed = new CountDownLatch(1);
    private final AtomicBoolean gatePut = new AtomicBoolean();
    private final AtomicBoolean gateRead = new AtomicBoolean();
    private final ResponseStore gatedA = new ResponseStore() {
        @Override
        public CacheEntry get(String key) {
            CacheEntry entry = redisA.get(key);
            if (entry != null && gateRead.compareAndSet(true, false)) {
                pause();
            }
            return entry;
        }

        @Override
        public void put(CacheEntry entry) {
            redisA.put(entry);
        }

        @Override
        public long invalidationMark() {
            return redisA.invalidationMark();
        }

        @Override
        public boolean put(CacheEntry entry, Set<String> tags, long mark) {
            boolean put = redisA.put(entry, tags, mark);
            if (gatePut.compareAndSet(true, false)) {
                pause();
            }
            return put;
        }

        @Override
        public long evict(Set<String> tags) {
            return redisA.evict(tags);
        }

        @Override
        public long evictAll() {
            return redisA.evictAll();
        }

        @Override
        public boolean evicts() {
            return true;
        }

        @Override
        public KeyLeases keyLeases() {
            return redisA.keyLeases();
        }

        @Override
        public Duration callBound() {
            return redisA.callBound();
        }

        @Override
        public void close() {
            redisA.close();
        }
    };
    private final CacheSettings settings = new CacheSettings(true, "redis", 1024,
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache", Duration.ofSeconds(60), clock);
    private final ResponseCache cacheA = new ResponseCache(settings, gatedA);
    private final ResponseCache cacheB = new ResponseCache(settings, redisB);
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(60), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
    private final FakeRequest request = FakeRequest.get("/products/1", null);
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    /** Started, as the cache starts its store: its lease subscription, once asked for, hears releases. */
    private ResponseStore redisStore() {
        ResponseStore store = new RedisStoreProvider().create(new StoreContext(new PropertyValues(Map.<String, Object>of(
                ResponseCacheProperties.REDIS_URI, redis.uri(), ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                ResponseCacheProperties.REDIS_SLOW_CALL, PATIENT, ResponseCacheProperties.REDIS_READ_TIMEOUT,
                PATIENT)::get), clock));
        store.started();
        return store;
    }

    private void pause() {
        reached.countDown();
        try {
            assertTrue(proceed.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void close() {
        proceed.countDown();
        threads.shutdownNow();
        cacheA.close();
        cacheB.close();
    }

    @Test
    void requestStartedAfterAnotherInstancesEvictionIsNotHandedTheEntryItRemoved() throws Exception {
        Lookup leader = cacheA.lookup(policy, request);
        assertEquals(Lookup.Outcome.MISS, leader.outcome());
        gatePut.set(true);
        Future<CacheEntry> storing = threads.submit(() -> cacheA.store(leader, 200, List.of(), new byte[] {1}));
        assertTrue(reached.await(30, TimeUnit.SECONDS));
        assertEquals(1, cacheB.invalidator().evictPath("/products/1"));
        Future<Lookup> reader = threads.submit(() -> cacheA.lookup(policy, request));
        Threads.awaitWaitingIn(InFlight.class.getName(), 1);
        proceed.countDown();
        assertNotNull(storing.get(30, TimeUnit.SECONDS));
        assertEquals(Lookup.Outcome.MISS, reader.get(30, TimeUnit.SECONDS).outcome(), "answered the evicted entry");
    }

    @Test
    void requestStartedAfterAnEvictionIsNotHandedWhatItsLeaderReadUnderAnotherInstancesLease() throws Exception {
        withLeases(cacheA, gatedA);
        withLeases(cacheB, redisB);
        Lookup holder = cacheB.lookup(policy, request);
        assertEquals(Lookup.Outcome.MISS, holder.outcome());
        // Instance A's leader waits for B's lease, then reads B's entry (and is held right after that read).
        gateRead.set(true);
        Future<Lookup> waiter = threads.submit(() -> cacheA.lookup(policy, request));
        Threads.awaitWaitingIn(ClusterFlight.class.getName(), 1);
        assertNotNull(cacheB.store(holder, 200, List.of(), new byte[] {1}));
        assertTrue(reached.await(30, TimeUnit.SECONDS));
        assertEquals(1, cacheB.invalidator().evictPath("/products/1"));
        Future<Lookup> reader = threads.submit(() -> cacheA.lookup(policy, request));
        Threads.awaitWaitingIn(InFlight.class.getName(), 1);
        proceed.countDown();
        assertEquals(Lookup.Outcome.HIT, waiter.get(30, TimeUnit.SECONDS).outcome(), "began before the eviction");
        assertEquals(Lookup.Outcome.MISS, reader.get(30, TimeUnit.SECONDS).outcome(), "answered the evicted entry");
    }

    private static void withLeases(ResponseCache cache, ResponseStore store) throws ReflectiveOperationException {
        Field cluster = ResponseCache.class.getDeclaredField("cluster");
        cluster.setAccessible(true);
        cluster.set(cache, ClusterFlight.of(store::keyLeases, new PropertyValues(Map.<String, Object>of()::get),
                Duration.ofSeconds(60), System::nanoTime, CacheEvents.NONE));
    }
}
