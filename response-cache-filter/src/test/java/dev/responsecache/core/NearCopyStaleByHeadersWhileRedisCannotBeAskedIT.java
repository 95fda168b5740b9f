package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
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

import redis.clients.jedis.Protocol;

/**
 * The header-driven mode with a near tier in front of Redis: a near copy stale by its headers is read again past the
 * near tier (another instance may have refreshed it). When Redis could not be asked that read (its ACL refusing
 * {@code GET} here, as a slow or busy Redis keeps the breaker open while the eviction feed stays subscribed), the
 * unanswered read was taken for "nothing stored": the near copy was dropped from the lookup, so its
 * stale-while-revalidate window answered nothing, and the request said {@code fwd=uri-miss}, a store it claimed to
 * have asked (and within stale-if-error, the copy no longer answered the method's error).
 */
class NearCopyStaleByHeadersWhileRedisCannotBeAskedIT {

    private static final CachePolicy HEADERS = new CachePolicy(Duration.ofSeconds(60), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false).fromHeaders();

    private final RedisTestServer redis = RedisTestServer.started();
    private final MutableClock clock = new MutableClock();

    @AfterEach
    void close() {
        redis.close();
    }

    private ResponseCache instance() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ResponseCacheProperties.STORE, "redis");
        properties.put(ResponseCacheProperties.REDIS_URI, redis.uri());
        properties.put(ResponseCacheProperties.REDIS_KEY_PREFIX, "rc-test-" + UUID.randomUUID() + ":");
        properties.put(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        properties.put(ResponseCacheProperties.REDIS_SLOW_CALL, "30s");
        properties.put(ResponseCacheProperties.COALESCE_LEASE, "0");
        properties.put(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100");
        properties.put(ResponseCacheProperties.CLOCK, clock);
        return ResponseCache.start(new PropertyValues(properties::get));
    }

    @Test
    void nearCopyStillAnswersWithinStaleWhileRevalidateWhenRedisRefusesTheReadPastIt() {
        try (ResponseCache cache = instance()) {
            Lookup first = cache.lookup(HEADERS, FakeRequest.get("/p", null));
            assertNotNull(cache.store(first, 200,
                    List.of(new Header("Cache-Control", "max-age=10, stale-while-revalidate=60")),
                    new byte[] {1, 2, 3}));
            clock.advance(Duration.ofSeconds(15));

            redis.client().sendCommand(Protocol.Command.ACL, "SETUSER", "default", "-get");
            Lookup stale = cache.lookup(HEADERS, FakeRequest.get("/p", null));

            assertTrue(stale.answered(), stale.outcome() + " " + stale.reason()
                    + ": Redis not asked is no proof the near copy is gone");
            assertEquals(3, stale.entry().bodyLength());
            cache.release(stale);
        }
    }

    @Test
    void nearCopyStaleByHeadersStillAnswersAnErrorWhenRedisRefusesTheReadPastIt() {
        try (ResponseCache cache = instance()) {
            Lookup first = cache.lookup(HEADERS, FakeRequest.get("/p", null));
            assertNotNull(cache.store(first, 200,
                    List.of(new Header("Cache-Control", "max-age=10, stale-if-error=60")), new byte[] {1, 2, 3}));
            clock.advance(Duration.ofSeconds(15));

            redis.client().sendCommand(Protocol.Command.ACL, "SETUSER", "default", "-get");
            Lookup miss = cache.lookup(HEADERS, FakeRequest.get("/p", null));

            // A miss that holds a stale copy (fwd=stale), as when the budget leaves no time for the read past it.
            assertEquals(Lookup.Outcome.MISS, miss.outcome(), miss.reason());
            assertEquals("stale", miss.reason());
            assertTrue(miss.hasStaleOnError(), "the near copy still answers the method's error");
            cache.release(miss);
        }
    }
}
