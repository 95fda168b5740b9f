package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
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
        assertNotNull(redis.client().get(prefix + "epoch"));

        CompletableFuture<HttpResponse<String>> stale = CompletableFuture.supplyAsync(
                () -> instanceA.getText("/api/products/1/gated"));
        assertTrue(resourceA.read.await(60, TimeUnit.SECONDS));
        // Redis loses its data while the miss runs (as a restart without persistence does), then a price changes.
        redis.loseEverythingUnder(prefix);
        assertEquals(200, post(instanceB, "/api/products/1/discount", "7"));
        resourceA.resume.countDown();
        assertEquals("gated 1 costs 10", stale.get(60, TimeUnit.SECONDS).body());

        HttpResponse<String> after = instanceB.getText("/api/products/1/gated");
        assertEquals("gated 1 costs 7", after.body(),
                "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none"));
    }

    /**
     * The loss comes after the eviction, so that nothing remembers it: the tag's eviction count went with the data,
     * and the miss that read the old price before the eviction stored it after the loss, answering every instance with
     * the old price until its ttl. The miss's mark comes from the counter Redis lost: it is older than the loss, and
     * so than every eviction Redis forgot.
     */
    @Test
    void missThatReadBeforeAnEvictionDoesNotStoreAfterRedisLostTheEvictionWithItsData() throws Exception {
        assertEquals(200, post(instanceB, "/api/products/2/discount", "19"));

        CompletableFuture<HttpResponse<String>> stale = CompletableFuture.supplyAsync(
                () -> instanceA.getText("/api/products/1/gated"));
        assertTrue(resourceA.read.await(60, TimeUnit.SECONDS));
        assertEquals(200, post(instanceB, "/api/products/1/discount", "7"));
        // Redis then loses its data (as a restart without persistence does) while the miss still runs.
        redis.loseEverythingUnder(prefix);
        resourceA.resume.countDown();
        assertEquals("gated 1 costs 10", stale.get(60, TimeUnit.SECONDS).body());

        HttpResponse<String> after = instanceB.getText("/api/products/1/gated");
        assertEquals("gated 1 costs 7", after.body(),
                "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none"));
    }

    @Test
    void evictionAfterAFailoverSetTheCounterBackIsLaterThanTheMarkOfAMissRunningAcrossIt() throws Exception {
        assertEquals(200, post(instanceB, "/api/products/2/discount", "19"));
        String beforeTheLostEvictions = redis.client().get(prefix + "epoch");
        assertEquals(200, post(instanceB, "/api/products/2/discount", "18"));
        assertEquals(200, post(instanceB, "/api/products/2/discount", "17"));

        CompletableFuture<HttpResponse<String>> stale = CompletableFuture.supplyAsync(
                () -> instanceA.getText("/api/products/1/gated"));
        assertTrue(resourceA.read.await(60, TimeUnit.SECONDS));
        // The primary fails over to a replica that had not received the last two evictions: the counter is back to
        // what it was before them. The price then changes through an instance that never read the counter, so that
        // nothing it remembers lifts the next value above the running miss's mark.
        redis.client().set(prefix + "epoch", beforeTheLostEvictions);
        CatalogueResource resourceC = new CatalogueResource(prices);
        resourceC.resume.countDown();
        try (TestServer instanceC = instance(resourceC)) {
            assertEquals(200, post(instanceC, "/api/products/1/discount", "7"));
        }
        resourceA.resume.countDown();
        assertEquals("gated 1 costs 10", stale.get(60, TimeUnit.SECONDS).body());

        HttpResponse<String> after = instanceB.getText("/api/products/1/gated");
        assertEquals("gated 1 costs 7", after.body(),
                "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none"));
    }

    /**
     * A follower handed its leader's entry takes it only if the counter still equals the leader's mark: a counter
     * that restarted and counted back up to that mark would let it take an entry an eviction since condemned.
     */
    @Test
    void counterLostWithRedisDataNeverComesBackToAMarkTakenBeforeTheLoss() {
        RedisTagIndex leader = new RedisTagIndex(redis.client(), prefix);
        RedisTagIndex evictor = new RedisTagIndex(redis.client(), prefix);
        for (int i = 0; i < 3; i++) {
            evictor.evict(Set.of("product:2"));
        }
        long mark = leader.mark();

        redis.loseEverythingUnder(prefix);
        RedisTagIndex restartedEvictor = new RedisTagIndex(redis.client(), prefix);
        for (int i = 0; i < 3; i++) {
            restartedEvictor.evict(Set.of("product:2"));
            long readByAnotherInstance = new RedisTagIndex(redis.client(), prefix).mark();
            assertTrue(readByAnotherInstance > mark, readByAnotherInstance + " after the loss, " + mark + " before");
        }
        assertNotEquals(mark, leader.mark());
    }

    /**
     * The previous version's counter only counted (an {@code INCR} from nothing), and stays in Redis through a
     * rolling upgrade: the first eviction by this version lifts it to the clock, and a store marked before that
     * eviction is still refused; instances of the previous version keep incrementing the lifted counter.
     */
    @Test
    void counterLeftByThePreviousVersionIsAdvancedPastAndStillRefusesAStoreMarkedBeforeTheEviction() {
        redis.client().set(prefix + "epoch", "3");
        RedisTagIndex writer = new RedisTagIndex(redis.client(), prefix);
        long mark = writer.mark();
        assertEquals(3, mark);

        new RedisTagIndex(redis.client(), prefix).evict(Set.of("product:1"));
        long lifted = Long.parseLong(redis.client().get(prefix + "epoch"));
        assertTrue(lifted > 3, "lifted to " + lifted);
        // A previous version's eviction: its INCR still applies to the lifted counter, and counts on from it.
        assertEquals(lifted + 1, redis.client().incr(prefix + "epoch"));

        byte[] key = (prefix + "entry").getBytes(StandardCharsets.UTF_8);
        assertFalse(writer.put(key, new byte[] {1}, null, Set.of("product:1"), mark, 0, 60_000));
        assertEquals(null, redis.client().get(prefix + "entry"));
    }

    /**
     * Two instances found the counter gone at once: one made it again above its floor, the other raised the floor past
     * it and failed before making the counter above that (here: the keys written as that leaves them). Every mark was
     * then below the floor and every store refused until the next eviction; the first refused store lifts the counter.
     */
    @Test
    void counterLeftBelowTheFloorByAnInstanceThatFailedIsLiftedByTheFirstRefusedStore() {
        RedisTagIndex writer = new RedisTagIndex(redis.client(), prefix);
        long counter = writer.mark();
        redis.client().set(prefix + "epoch:floor", Long.toString(counter + 1_000_000));
        byte[] key = (prefix + "entry").getBytes(StandardCharsets.UTF_8);

        assertFalse(writer.put(key, new byte[] {1}, null, Set.of("product:1"), writer.mark(), 0, 60_000),
                "marked below the floor");
        assertTrue(writer.put(key, new byte[] {1}, null, Set.of("product:1"), writer.mark(), 0, 60_000),
                "the next miss stores again");
        assertNotNull(redis.client().get(prefix + "entry"));
    }
}
