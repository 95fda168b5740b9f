package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.redis.RedisStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;

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
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An eviction by another instance, heard over the feed while this instance's read from Redis copies an entry into its
 * near tier, drops that copy whatever the read does next.
 *
 * <p>Instance A reads {@code k} from Redis (near tier empty); while it keeps the copy, a store of another key on A
 * makes it read {@code k} again, as a newer entry may have been stored meanwhile. Between that second read and its
 * copy, instance B evicts {@code k}'s tag and A's feed drops the near tier. {@code TwoLevelStore.fromShared} checked
 * for drops only after its first copy: the second one, of the evicted entry, stayed, and A answered {@code k} from its
 * near tier until the entry's ttl, though Redis holds nothing under it any more.
 */
class NearCopyReReadAfterAStoreOutlivesAnEvictionIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = "rc-test-" + UUID.randomUUID() + ":";
    private final MutableClock clock = new MutableClock();

    private ResponseStore redisStore() {
        Map<String, Object> properties = Map.of(ResponseCacheProperties.REDIS_URI, redis.uri(),
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix, ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s",
                ResponseCacheProperties.REDIS_SLOW_CALL, "30s");
        return new RedisStoreProvider().create(new StoreContext(new PropertyValues(properties::get), clock));
    }

    private CacheEntry entry(String key, byte body) {
        long now = clock.millis();
        return new CacheEntry(key, 200, List.of(), new byte[] {body}, now, now + 600_000, List.of());
    }

    @Test
    void evictionHeardBetweenTheReReadAndItsCopyDropsTheCopy() throws Exception {
        ResponseStore nearA = new EhcacheStoreProvider().create(
                new StoreContext(new PropertyValues(name -> null), clock));
        AtomicInteger copiesOfK = new AtomicInteger();
        CountDownLatch drops = new CountDownLatch(2);
        ExecutorService others = Executors.newSingleThreadExecutor();
        ResponseStore redisB = redisStore();
        TwoLevelStore[] a = new TwoLevelStore[1];
        // The near tier as it is, with hooks where A's read copies k: the first copy lets a store of another key
        // through A, the second lets B evict k and waits until A's feed has dropped the near tier.
        ResponseStore hookedNear = new ResponseStore() {
            @Override
            public CacheEntry get(String key) {
                return nearA.get(key);
            }

            @Override
            public void put(CacheEntry entry) {
                if (entry.key().equals("k")) {
                    int copy = copiesOfK.incrementAndGet();
                    if (copy == 1) {
                        Future<?> store = others.submit(() -> a[0].put(entry("other", (byte) 9), Set.of("o"),
                                a[0].invalidationMark()));
                        await(store);
                    } else if (copy == 2) {
                        redisB.evict(Set.of("t"));
                        try {
                            assertTrue(drops.await(DEADLINE.toSeconds(), TimeUnit.SECONDS),
                                    "A's feed never heard B's eviction");
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                nearA.put(entry);
            }

            @Override
            public boolean put(CacheEntry entry, Set<String> tags, long mark) {
                return nearA.put(entry, tags, mark);
            }

            @Override
            public long evict(Set<String> tags) {
                return nearA.evict(tags);
            }

            @Override
            public long evictAll() {
                long removed = nearA.evictAll();
                drops.countDown();
                return removed;
            }

            @Override
            public boolean evicts() {
                return true;
            }

            @Override
            public void close() {
                nearA.close();
            }
        };
        try (ResponseStore redisA = redisStore()) {
            a[0] = new TwoLevelStore(hookedNear, redisA, clock);
            a[0].started();
            // The feed drops the near tier once as it subscribes: the eviction's drop is the second.
            Eventually.until(() -> redisA.evictionFeed().live(), DEADLINE, () -> "A's eviction feed never went live");
            assertTrue(redisB.put(entry("k", (byte) 1), Set.of("t"), redisB.invalidationMark()));

            assertNotNull(a[0].get("k"), "A reads k from Redis while B has not evicted it yet");

            assertNull(redisA.get("k"), "B's eviction removed k from Redis");
            assertNull(a[0].get("k"), "A's near tier answers k after B evicted it and A heard of it");
        } finally {
            redisB.close();
            others.shutdownNow();
        }
    }

    private static void await(Future<?> future) {
        try {
            future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
