package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.util.Map;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A JAX-RS application on Redis deployed with the library's initializer (as a WAR's container runs it) has its hits
 * answered in front of Jersey, as on the embedded store: one {@code GET} per hit, none from a near copy.
 */
class ServletLevelRedisHitIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final RedisResource resource = new RedisResource();
    private final JerseyEntries jersey = new JerseyEntries();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(ResourceConfig app) {
        server = TestServer.jersey(app.register(jersey));
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
    }

    @Test
    void hitAnsweredInFrontOfJerseyIsOneRedisGet() {
        start(RedisApps.app(resource, redis.uri(), prefix));
        HttpResponse<String> miss = server.getText("/api/items/1");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        RedisCommandStats.reset(redis);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> hit = server.getText("/api/items/1");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.body(), hit.body());
        }
        assertEquals(1, jersey.count(), "only the miss entered Jersey");
        assertEquals(Map.of("get", 5L), RedisCommandStats.readsAndWrites(redis),
                "one round trip per hit, nothing else");
        assertEquals(1, resource.calls.get());
    }

    @Test
    void hitAnsweredInFrontOfJerseyFromTheNearTierCallsRedisNotAtAll() {
        start(RedisApps.app(resource, redis.uri(), prefix)
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100"));
        RedisCommandStats.untilNearCopiesAnswer(redis, () -> server.getText("/api/items/warm-up"));
        int jerseyRequests = jersey.count();
        HttpResponse<String> miss = server.getText("/api/items/2");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        RedisCommandStats.reset(redis);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> hit = server.getText("/api/items/2");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.body(), hit.body());
        }
        assertEquals(jerseyRequests + 1, jersey.count(), "only the miss entered Jersey");
        assertEquals(Map.of(), RedisCommandStats.readsAndWrites(redis),
                "the stored entry's near copy answers every hit");
    }
}
