package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidationException;
import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances of an application on one Redis: an eviction through either reaches both. */
class RedisInvalidationIT {

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
                .property(ResponseCacheProperties.REDIS_COOL_DOWN, "200ms")
                // Patient: a loaded machine's late reply must not turn an expected hit into a miss.
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")).start();
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

    private static String cacheStatus(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElseThrow();
    }

    /** Stored through A and hit through B, so a later miss proves the eviction. */
    private void cachedOnBoth(String path) {
        instanceA.getText(path);
        assertEquals("HIT", cacheStatus(instanceB.getText(path)), path);
    }

    private static int send(TestServer server, String method, String path, String body) {
        return server.send(server.request(path).method(method, HttpRequest.BodyPublishers.ofString(body)).build())
                .statusCode();
    }

    private static ResponseCacheInvalidator invalidator(TestServer server) {
        return (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
    }

    @Test
    void putThroughOneInstanceEvictsEveryVariantOfThePathForBoth() {
        cachedOnBoth("/api/products/1");
        cachedOnBoth("/api/products/1?currency=eur");
        cachedOnBoth("/api/products/2");
        assertEquals(204, send(instanceB, "PUT", "/api/products/1", "11"));
        HttpResponse<String> fresh = instanceA.getText("/api/products/1?currency=eur");
        assertEquals("MISS", cacheStatus(fresh));
        assertEquals("product 1 costs 11", fresh.body());
        assertEquals("MISS", cacheStatus(instanceA.getText("/api/products/1")));
        assertEquals("HIT", cacheStatus(instanceA.getText("/api/products/2")));
    }

    @Test
    void tagEvictionRemovesAndCountsEveryTaggedEntryWithoutTouchingOthers() {
        cachedOnBoth("/api/products/1");
        cachedOnBoth("/api/products/2");
        cachedOnBoth("/api/products");
        assertEquals(1, invalidator(instanceA).evictTags("product:2"));
        assertEquals("MISS", cacheStatus(instanceB.getText("/api/products/2")));
        assertEquals("HIT", cacheStatus(instanceB.getText("/api/products/1")));
        assertEquals(3, invalidator(instanceB).evictTags("products"));
        assertEquals("MISS", cacheStatus(instanceA.getText("/api/products")));
    }

    @Test
    void evictAllEmptiesThisApplicationsEntriesOnly() {
        cachedOnBoth("/api/products/1");
        cachedOnBoth("/api/products");
        redis.client().set("someone-else:key", "kept");
        assertEquals(2, invalidator(instanceA).evictAll());
        assertEquals("MISS", cacheStatus(instanceB.getText("/api/products/1")));
        assertEquals("kept", redis.client().get("someone-else:key"));
    }

    /** The race, driven by latches in the resource method: the same interleaving on every run. */
    @Test
    void missOnOneInstanceThatReadBeforeAnEvictionOnTheOtherStoresNothing() throws Exception {
        CompletableFuture<HttpResponse<String>> stale = CompletableFuture.supplyAsync(
                () -> instanceA.getText("/api/products/1/gated"));
        assertTrue(resourceA.read.await(60, TimeUnit.SECONDS));
        assertEquals(200, send(instanceB, "POST", "/api/products/1/discount", "7"));
        resourceA.resume.countDown();
        assertEquals("gated 1 costs 10", stale.get(60, TimeUnit.SECONDS).body());
        HttpResponse<String> fresh = instanceB.getText("/api/products/1/gated");
        assertEquals("MISS", cacheStatus(fresh), "the stale response was not stored");
        assertEquals("gated 1 costs 7", fresh.body());
    }

    @Test
    void evictRequestOnOneInstanceRemovesThatUrlForBothAndNoOtherQuery() {
        cachedOnBoth("/api/products/1?view=short");
        cachedOnBoth("/api/products/1");
        assertEquals(1, invalidator(instanceA).evictRequest(URI.create("/api/products/1?view=short")));
        assertEquals("MISS", cacheStatus(instanceB.getText("/api/products/1?view=short")));
        assertEquals("HIT", cacheStatus(instanceB.getText("/api/products/1")));
    }

    @Test
    void tagIndexExpiresWithItsEntries() {
        instanceA.getText("/api/products/1");
        Set<String> keys = redis.keys(prefix);
        long tagSets = keys.stream().filter(key -> key.startsWith(prefix + "k2:t:")).count();
        assertEquals(5, tagSets, "path, URL, products, product:1 and the all-entries set: " + keys);
        for (String key : keys) {
            long ttl = redis.client().pttl(key);
            if (key.startsWith(prefix + "k2:t:") || key.startsWith(prefix + "v")) {
                assertTrue(ttl > 0 && ttl <= 600_000, key + " expires with the entry, in " + ttl + " ms");
            }
        }
    }

    @Test
    void evictionDuringARedisOutageIsReportedByTheApiAndNeverFailsTheRequest() {
        cachedOnBoth("/api/products/1");
        redis.stop();
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            assertThrows(ResponseCacheInvalidationException.class,
                    () -> invalidator(instanceA).evictTags("products"));
            for (int i = 0; i < 3; i++) {
                assertEquals(204, send(instanceA, "PUT", "/api/products/1", "12"));
            }
            assertEquals("product 1 costs 12", instanceB.getText("/api/products/1").body());
            List<String> invalidationWarnings = log.messagesAtLeast(Level.WARNING).stream()
                    .filter(message -> message.contains("invalidation")).toList();
            assertEquals(1, invalidationWarnings.size(), "one warning for the episode: " + invalidationWarnings);
        } finally {
            redis.start();
        }
    }
}
