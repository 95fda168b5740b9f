package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis stopping while a miss's method runs (one outage taking the backend and Redis): the stale entry the miss read
 * still replaces the method's error. The re-read that checks the entry was not evicted meanwhile cannot tell an
 * eviction from a Redis that does not answer, and Redis's read reports the outage itself
 * ({@code StoreUnavailableException}), so it was taken for "nothing stored" and the 5xx reached the client.
 */
class StaleOnErrorWhileRedisIsDownIT {

    private final RedisTestServer redis = RedisTestServer.started();
    private final MutableClock clock = new MutableClock();
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false, new StaleWindows(0, 60_000), CachePolicy.UNNAMED);

    @AfterEach
    void close() {
        redis.close();
    }

    private ResponseCache instance() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ResponseCacheProperties.STORE, "redis");
        properties.put(ResponseCacheProperties.REDIS_URI, redis.uri());
        properties.put(ResponseCacheProperties.REDIS_KEY_PREFIX, "rc-test-" + UUID.randomUUID() + ":");
        properties.put(ResponseCacheProperties.CLOCK, clock);
        return ResponseCache.start(new PropertyValues(properties::get));
    }

    @Test
    void staleEntryStillReplacesTheErrorWhenRedisStopsWhileTheMethodRuns() {
        try (ResponseCache cache = instance()) {
            Lookup first = cache.lookup(policy, FakeRequest.get("/p", null));
            assertNotNull(cache.store(first, 200, List.of(), new byte[] {1, 2, 3}));
            clock.advance(Duration.ofSeconds(25));
            Lookup miss = cache.lookup(policy, FakeRequest.get("/p", null));
            assertTrue(miss.hasStaleOnError());

            redis.stop();
            Lookup answer = cache.staleOnError(miss, 503);

            assertNotNull(answer, "Redis down is no eviction: the stale entry answers the 503");
            assertEquals(3, answer.entry().bodyLength());
        }
    }

    @Test
    void staleEntryStillReplacesTheErrorWhileRedisIsKeptAwayByTheOpenBreaker() {
        try (ResponseCache cache = instance()) {
            Lookup first = cache.lookup(policy, FakeRequest.get("/p", null));
            assertNotNull(cache.store(first, 200, List.of(), new byte[] {1, 2, 3}));
            clock.advance(Duration.ofSeconds(25));
            Lookup miss = cache.lookup(policy, FakeRequest.get("/p", null));
            assertTrue(miss.hasStaleOnError());

            redis.stop();
            // Reads fail until the breaker opens; each later one is kept from Redis.
            for (int i = 0; i < 20; i++) {
                cache.lookup(policy, FakeRequest.get("/other" + i, null));
            }
            assertEquals("open", cache.health().breaker());
            assertNotNull(cache.staleOnError(miss, 503), "an open breaker is no eviction: the stale entry answers");
        }
    }
}
