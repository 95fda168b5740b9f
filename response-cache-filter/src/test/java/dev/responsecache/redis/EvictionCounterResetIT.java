package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A miss takes the application's eviction counter as its mark, and its store is refused when a tag of its entry was
 * evicted at a later count. The counter lives in Redis: a Redis that loses its data (restarted without persistence,
 * a failover to a replica that had not caught up, a FLUSHALL) counts again from zero, and every eviction after that
 * has a lower count than the mark of a miss that was running across it. Such a miss must still not store what the
 * eviction condemned.
 */
class EvictionCounterResetIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "2", "20"));
    private final CatalogueResource resourceA = new CatalogueResource(prices);
    private TestServer instanceA;
    private TestServer instanceB;

    private TestServer instance(CatalogueResource resource) {
        return TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, redis.uri())
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.REDIS_COOL_DOWN, "200ms")).start();
    }

    @BeforeEach
    void startInstances() {
        instanceA = instance(resourceA);
        CatalogueResource resourceB = new CatalogueResource(prices);
        resourceB.resume.countDown();
        instanceB = instance(resourceB);
    }

    @AfterEach
    void stopInstances() {
        instanceA.close();
        instanceB.close();
    }

    private static int post(TestServer server, String path, String body) {
        return server.send(server.request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build())
                .statusCode();
    }

    @Test
    void missRunningAcrossALossOfRedisDataDoesNotStoreWhatALaterEvictionCondemned() throws Exception {
        // Earlier evictions of the application: the counter stands at 3.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(instanceB, "/api/products/2/discount", Integer.toString(20 - i)));
        }
        assertEquals("3", redis.client().get(prefix + "epoch"));

        CompletableFuture<HttpResponse<String>> stale = CompletableFuture.supplyAsync(
                () -> instanceA.getText("/api/products/1/gated"));
        assertTrue(resourceA.read.await(20, TimeUnit.SECONDS));
        // Redis loses its data while the miss runs (as a restart without persistence does), then a price changes.
        redis.client().flushAll();
        assertEquals(200, post(instanceB, "/api/products/1/discount", "7"));
        resourceA.resume.countDown();
        assertEquals("gated 1 costs 10", stale.get(20, TimeUnit.SECONDS).body());

        HttpResponse<String> after = instanceB.getText("/api/products/1/gated");
        assertEquals("gated 1 costs 7", after.body(),
                "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none"));
    }
}
