package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.annotation.InvalidatesCache;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisSentinelProcesses;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * The Sentinel failover {@link EvictionCounterResetIT} stands in for: the primary dies while its replica lags behind
 * it, so the promoted replica holds the eviction counter as it was before the evictions it never received, and counts
 * on from there. A miss marked on the old primary must still not store, on the new one, what an eviction after the
 * failover condemned.
 */
class EvictionCounterFailoverIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /**
     * The sentinels' down-after, far past the test's deadlines: a replica whose link has been down ten times as long
     * (plus the primary's down time) is never promoted, and with the default the link is cut for a handful of steps
     * that a loaded machine can stretch past ten seconds.
     */
    private static final Duration PATIENT_DOWN_AFTER = Duration.ofMinutes(10);
    private static RedisSentinelProcesses sentinel;

    private final String prefix = RedisApps.uniquePrefix();
    private final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "2", "20", "3", "30"));

    @BeforeAll
    static void startSentinels() {
        sentinel = RedisSentinelProcesses.started();
        sentinel.downAfter(PATIENT_DOWN_AFTER);
    }

    @AfterAll
    static void stopSentinels() {
        sentinel.close();
    }

    /** Prices over the data source the instances share; a gated read waits for the test, across a failover. */
    @Path("products")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Prices {

        private final Map<String, String> prices;
        final CountDownLatch read = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);

        Prices(Map<String, String> prices) {
            this.prices = prices;
        }

        @GET
        @Path("{id}")
        @CacheResponse(ttl = 600, tags = "product:{id}")
        public String product(@PathParam("id") String id) {
            return "product " + id + " costs " + prices.get(id);
        }

        @GET
        @Path("{id}/gated")
        @CacheResponse(ttl = 600, tags = "product:{id}")
        public String gated(@PathParam("id") String id) throws InterruptedException {
            String price = prices.get(id);
            read.countDown();
            if (!resume.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never resumed the request");
            }
            return "gated " + id + " costs " + price;
        }

        @POST
        @Path("{id}/discount")
        @InvalidatesCache(tags = "product:{id}")
        public String discount(@PathParam("id") String id, String price) {
            prices.put(id, price);
            return "discounted";
        }
    }

    private TestServer instance(Prices resource) {
        return TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, "redis://" + RedisSentinelProcesses.USER + ":"
                        + RedisSentinelProcesses.PASSWORD + "@" + sentinel.sentinelAddresses() + "/0")
                .property(ResponseCacheProperties.REDIS_TOPOLOGY, "sentinel")
                .property(ResponseCacheProperties.REDIS_SENTINEL_MASTER, RedisSentinelProcesses.MASTER)
                .property(ResponseCacheProperties.REDIS_SENTINEL_PASSWORD, RedisSentinelProcesses.SENTINEL_PASSWORD)
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.REDIS_COOL_DOWN, "200ms")
                // Far beyond any normal reply (the default is 200 ms): a loaded machine's late reply is no failure.
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")).start();
    }

    private static int post(TestServer server, String path, String body) {
        return server.send(server.request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build())
                .statusCode();
    }

    private static String counter(Jedis node, String prefix) {
        return node.get(prefix + "epoch");
    }

    private static boolean replicationDown(Jedis replica) {
        return replica.info("replication").contains("master_link_status:down");
    }

    @Test
    void missRunningAcrossAFailoverToAReplicaThatLaggedDoesNotStoreWhatALaterEvictionCondemned() throws Exception {
        Prices resourceA = new Prices(prices);
        Prices resourceB = new Prices(prices);
        resourceB.resume.countDown();
        try (TestServer instanceA = instance(resourceA); TestServer instanceB = instance(resourceB);
             Jedis primary = sentinel.primary().client(); Jedis replica = sentinel.replica().client()) {
            assertEquals(200, post(instanceB, "/api/products/2/discount", "19"));
            String replicated = counter(primary, prefix);
            Eventually.until(() -> replicated.equals(counter(replica, prefix)), DEADLINE,
                    () -> "the replica never received the counter");
            // The replica falls behind: it can no longer log in to the primary, which drops its link.
            replica.configSet("masteruser", "nobody");
            replica.configSet("masterauth", "not-the-password");
            primary.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
            Eventually.until(() -> replicationDown(replica), DEADLINE, () -> "the replica kept its link");
            // Two evictions the replica never receives.
            assertEquals(200, post(instanceB, "/api/products/2/discount", "18"));
            assertEquals(200, post(instanceB, "/api/products/2/discount", "17"));

            CompletableFuture<HttpResponse<byte[]>> stale = CompletableFuture.supplyAsync(() -> instanceA.send(
                    instanceA.request("/api/products/1/gated").timeout(DEADLINE.multipliedBy(2)).GET().build()));
            assertTrue(resourceA.read.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
            // A and B must hear the switch: their Jedis listeners subscribed before it.
            sentinel.awaitListenersSubscribed(DEADLINE);
            sentinel.primary().kill();
            // Asked for, as no sentinel judges the primary down before PATIENT_DOWN_AFTER. C asks whichever sentinel
            // answers first where the primary is: failOver returns once every one names the replica.
            sentinel.failOver(DEADLINE);
            // A new connection: the sentinels close the clients of the replica they promote.
            try (Jedis promoted = sentinel.replica().client()) {
                assertEquals(replicated, counter(promoted, prefix), "the promoted replica's counter is the older one");
            }

            // The price changes through an instance started after the failover, which never read the counter.
            Prices resourceC = new Prices(prices);
            resourceC.resume.countDown();
            try (TestServer instanceC = instance(resourceC)) {
                // The new instance must reach the new primary before it evicts: a sentinel that has not followed the
                // failover yet names the old one, and an eviction sent while Redis is unreachable is only replayed
                // later (docs/INVALIDATION.md), after the running miss may have stored.
                assertEquals("product 3 costs 30", instanceC.getText("/api/products/3").body());
                Eventually.until(() -> "HIT".equals(instanceC.getText("/api/products/3").headers()
                        .firstValue("X-Cache").orElse("")), DEADLINE, () -> "the new instance never hit");
                assertEquals(200, post(instanceC, "/api/products/1/discount", "7"));
                // The running miss must meet the new primary when it stores (else it stores nothing and proves
                // nothing): its instance hits an entry stored there after the failover.
                Eventually.until(() -> "HIT".equals(instanceA.getText("/api/products/3").headers()
                        .firstValue("X-Cache").orElse("")), DEADLINE, () -> "the first instance never followed");
                resourceA.resume.countDown();
                assertEquals("gated 1 costs 10", new String(stale.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).body(),
                        StandardCharsets.UTF_8));

                HttpResponse<String> after = instanceC.getText("/api/products/1/gated");
                assertEquals("gated 1 costs 7", after.body(),
                        "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none"));
            }
        }
    }
}
