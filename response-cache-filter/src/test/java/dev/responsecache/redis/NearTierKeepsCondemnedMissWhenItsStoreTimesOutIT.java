package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TcpRelay;
import dev.responsecache.testing.TestServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.Protocol;

/**
 * docs/INVALIDATION.md, Guarantees: "A response produced by a miss that started before an eviction of one of its tags (or its path)
 * is not stored after that eviction", and "When Redis is down, slow, full or answers errors, requests are served
 * uncached".
 *
 * <p>Redis healthy, circuit closed, both instances subscribed. Instance B's miss reads the price, an
 * {@code @InvalidatesCache} through instance A evicts its tag (B's near tier hears of it), then B's store call times
 * out (its reply comes later than the read timeout; Redis itself refuses the entry, its mark being older than the
 * eviction). {@code RedisStore.put(entry, tags, mark)} answers the fault with {@code Boolean.TRUE} ("a fault is not a
 * refusal either", RedisStore.java:265, the fallback of {@code written}, RedisStore.java:339-348), and
 * {@code TwoLevelStore.put} (TwoLevelStore.java:139-146) takes it as accepted and keeps a near copy that no mark was
 * checked for: the condemned response answers B's clients until its ttl, once Redis answers in time again.
 *
 * <p>What the client gets: {@code gated 1 costs 10} (X-Cache: HIT) from B after the discount to 5 went through A.
 * What it should get: {@code gated 1 costs 5}, as the application without the cache answers.
 */
class NearTierKeepsCondemnedMissWhenItsStoreTimesOutIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "2", "20"));

    private ResourceConfig app(CatalogueResource resource, String uri) {
        return new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, uri)
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                // Beyond a loaded machine's late reply: A's eviction must reach Redis at once.
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100");
    }

    @Test
    void missThatReadBeforeAnEvictionIsNotKeptInTheNearTierWhenItsStoreTimesOut() throws Exception {
        CatalogueResource resourceA = new CatalogueResource(prices);
        resourceA.resume.countDown();
        CatalogueResource resourceB = new CatalogueResource(prices);
        ExecutorService clients = Executors.newFixedThreadPool(1);
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()));
             TestServer a = TestServer.jersey(app(resourceA, redis.uri())).start()) {
            relay.open();
            TestServer b = TestServer.jersey(app(resourceB, "redis://127.0.0.1:" + relay.port())
                    // Far below the held reply below; a loaded machine's reply later than this is a miss, asked again.
                    .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "2s")).start();
            try {
                untilBothSubscribed();
                // B's near tier keeps product 2 once B hit it (stored by its miss, or read back from Redis): asked
                // again while a store or read of B's timed out on a loaded machine.
                Eventually.until(() -> "HIT".equals(b.getText("/api/products/2").headers().firstValue("X-Cache")
                        .orElse("")), DEADLINE, () -> "B never hit product 2");
                // Gone from Redis, still in B's near tier: only the near tier answers its hits from now on.
                redis.keys(prefix + "v").forEach(key -> redis.client().del(key));
                assertEquals("HIT", b.getText("/api/products/2").headers().firstValue("X-Cache").orElseThrow());

                // B's miss reads the price 10, then waits.
                CompletableFuture<HttpResponse<String>> gated =
                        CompletableFuture.supplyAsync(() -> b.getText("/api/products/1/gated"), clients);
                assertTrue(resourceB.read.await(30, TimeUnit.SECONDS), "B's miss never ran");

                // The discount through A evicts product:1 in Redis and tells every near tier.
                HttpResponse<byte[]> discount = a.send(a.request("/api/products/1/discount")
                        .POST(HttpRequest.BodyPublishers.ofString("5")).build());
                assertEquals(200, discount.statusCode());
                // B has heard of it: its near copy of product 2 is gone (the next read misses).
                Eventually.until(() -> !"HIT".equals(
                                b.getText("/api/products/2").headers().firstValue("X-Cache").orElse("")),
                        DEADLINE, () -> "B's near tier never heard of the eviction through A");

                // B's store call: its reply comes after the read timeout.
                relay.delayReplies(Duration.ofMinutes(1));
                resourceB.resume.countDown();
                assertEquals("gated 1 costs 10", gated.get(30, TimeUnit.SECONDS).body(),
                        "the miss answers what it read, as without the cache");
                relay.delayReplies(Duration.ZERO);

                HttpResponse<String> after = b.getText("/api/products/1/gated");
                assertEquals("gated 1 costs 5", after.body(),
                        "B answered the response its miss produced before the eviction, X-Cache: "
                                + after.headers().firstValue("X-Cache").orElse("none"));
            } finally {
                b.close();
            }
        } finally {
            clients.shutdownNow();
        }
    }

    private void untilBothSubscribed() {
        Eventually.until(() -> redis.client().sendCommand(Protocol.Command.PUBSUB, "NUMSUB", prefix + "evictions")
                        instanceof List<?> reply && reply.size() == 2 && Long.valueOf(2).equals(reply.get(1)),
                DEADLINE, () -> "the instances never subscribed to " + prefix + "evictions");
    }
}
