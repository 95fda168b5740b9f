package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link StaleOnErrorTest}'s eviction cases on Redis, the eviction made through another instance: the stale entry a
 * miss carried when its method began no longer replaces the method's error once evicted, with and without a near tier
 * in front of the instance whose method fails.
 */
class RedisStaleOnErrorAfterEvictionIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final String prefix = "rc-test-" + UUID.randomUUID() + ":";
    private final MutableClock clock = new MutableClock();
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false, new StaleWindows(0, 60_000), CachePolicy.UNNAMED);

    private ResponseCache instance(boolean nearTier) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ResponseCacheProperties.STORE, "redis");
        properties.put(ResponseCacheProperties.REDIS_URI, redis.uri());
        properties.put(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        properties.put(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        properties.put(ResponseCacheProperties.CLOCK, clock);
        if (nearTier) {
            properties.put(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100");
        }
        return ResponseCache.start(new PropertyValues(properties::get));
    }

    @Test
    void entryEvictedThroughAnotherInstanceWhileTheMethodRanNeverReplacesItsError() {
        evictedWhileTheMethodRan(false);
    }

    @Test
    void entryEvictedThroughAnotherInstanceWhileTheMethodRanNeverReplacesItsErrorFromTheNearTier() {
        evictedWhileTheMethodRan(true);
    }

    private void evictedWhileTheMethodRan(boolean nearTier) {
        try (ResponseCache failing = instance(nearTier); ResponseCache other = instance(false)) {
            Lookup first = failing.lookup(policy, FakeRequest.get("/p", null));
            assertNotNull(failing.store(first, 200, List.of(), new byte[] {1, 2, 3}));
            clock.advance(Duration.ofSeconds(25));
            Lookup miss = failing.lookup(policy, FakeRequest.get("/p", null));
            assertTrue(miss.hasStaleOnError());
            assertNotNull(failing.staleOnError(miss, 503), "not evicted yet: the stale entry answers");

            Lookup evictedLater = failing.lookup(policy, FakeRequest.get("/p", null));
            assertTrue(evictedLater.hasStaleOnError());
            other.invalidator().evictPath("/p");
            // The near tier hears of the eviction through the feed: no lookup finds the entry once it has.
            Eventually.until(() -> !failing.peek(policy, FakeRequest.get("/p", null)).hasStaleOnError(), DEADLINE,
                    () -> "the instance kept its near copy of the evicted entry");
            assertNull(failing.staleOnError(evictedLater, 503), "the eviction declared the entry stale for good");
        }
    }
}
