package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Protocol;

/** {@code responsecache.near-cache.max-entries}: each instance keeps hot entries in front of Redis. */
class RedisNearCacheIT {

    private static RedisTestServer redis;

    private final MutableClock clock = new MutableClock();
    private final String prefix = RedisApps.uniquePrefix();
    private final RedisResource first = new RedisResource();
    private final RedisResource second = new RedisResource();
    private TestServer instanceA;
    private TestServer instanceB;

    @BeforeAll
    static void startRedis() {
        redis = RedisTestServer.started();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void startInstances() {
        instanceA = TestServer.jersey(nearCached(first)).start();
        instanceB = TestServer.jersey(nearCached(second)).start();
    }

    private ResourceConfig nearCached(RedisResource resource) {
        return RedisApps.app(resource, redis.uri(), prefix)
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100")
                .property(ResponseCacheProperties.CLOCK, clock);
    }

    @AfterEach
    void stopInstances() {
        instanceA.close();
        instanceB.close();
    }

    @Test
    void hotEntryIsServedFromTheNearTierAfterOneRedisRead() {
        redis.client().sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
        HttpResponse<String> miss = instanceA.getText("/api/items/1");
        assertEquals(1, gets(), "the miss looked Redis up once");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> hit = instanceB.getText("/api/items/1");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.body(), hit.body());
        }
        assertEquals(2, gets(), "instance B read Redis once, then answered from its own heap");
        assertEquals("HIT", instanceA.getText("/api/items/1").headers().firstValue("X-Cache").orElseThrow());
        assertEquals(2, gets(), "instance A kept what it stored");
        assertEquals(0, second.calls.get());
    }

    @Test
    void nearCopyExpiresWithTheSharedEntry() {
        instanceA.getText("/api/items/2");
        instanceB.getText("/api/items/2");
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> expired = instanceB.getText("/api/items/2");
        assertEquals("MISS", expired.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(1, second.calls.get());
    }

    private static long gets() {
        Matcher calls = Pattern.compile("cmdstat_get:calls=(\\d+)").matcher(redis.client().info("commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }
}
