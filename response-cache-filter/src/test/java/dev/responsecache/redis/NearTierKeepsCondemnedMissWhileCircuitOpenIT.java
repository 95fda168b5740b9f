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
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.Protocol;

/**
 * docs/INVALIDATION.md, Guarantees: "A response produced by a miss that started before an eviction of one of its tags (or its path)
 * is not stored after that eviction", and "When Redis is down, slow, ... requests are served uncached".
 *
 * <p>Instance B has a near tier and its Redis circuit is open (Redis was slow for it; its pub/sub subscription is
 * still up, so its near tier is in use). While the circuit is open, {@code RedisStore.put(entry, tags, mark)} returns
 * {@code true} without calling Redis (RedisStore.java:259, "not refused either"), the mark being
 * {@code Long.MIN_VALUE} and never checked; {@code TwoLevelStore.put} (TwoLevelStore.java:139-146) takes {@code true}
 * as "accepted" and keeps a near copy, comparing drops only from the start of the put, not from the start of the
 * miss. So B's miss that read the price before instance A's {@code @InvalidatesCache} eviction (which B's near tier
 * did hear of) is kept in B's near tier after it, and answers for the whole ttl.
 *
 * <p>What the client gets: {@code gated 1 costs 10} (X-Cache: HIT) from B after the discount to 5 went through A.
 * What it should get: {@code gated 1 costs 5}, as the application without the cache answers.
 */
class NearTierKeepsCondemnedMissWhileCircuitOpenIT {

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
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100");
    }

    @Test
    void missThatReadBeforeAnEvictionIsNotKeptInTheNearTierWhileTheCircuitIsOpen() throws Exception {
        // The build gives every IT a patient threshold as a system property, which outranks the app's.
        String patient = System.setProperty(ResponseCacheProperties.REDIS_SLOW_CALL, "200ms");
        CatalogueResource resourceA = new CatalogueResource(prices);
        resourceA.resume.countDown();
        CatalogueResource resourceB = new CatalogueResource(prices);
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()));
             TestServer a = TestServer.jersey(app(resourceA, redis.uri())).start()) {
            relay.open();
            try (TestServer b = TestServer.jersey(app(resourceB, "redis://127.0.0.1:" + relay.port())
                    .property(ResponseCacheProperties.REDIS_SLOW_CALL, "200ms")
                    .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "10s")
                    .property(ResponseCacheProperties.REDIS_COOL_DOWN, "3600s")).start()) {
                untilBothSubscribed();
                b.getText("/api/products/2");
                assertEquals("HIT", b.getText("/api/products/2").headers().firstValue("X-Cache").orElseThrow());

                // Redis slow for B only: B judges it unhealthy and leaves it alone for the cool-down.
                relay.delayReplies(Duration.ofMillis(400));
                // Judged unhealthy once a miss of a key never asked for makes no call to Redis at all.
                for (int i = 0; ; i++) {
                    assertTrue(i < 60, "B never judged a Redis 400 ms late unhealthy");
                    long sent = relay.requestBytes();
                    b.getText("/api/products/" + (100 + i));
                    if (relay.requestBytes() == sent) {
                        break;
                    }
                }
                relay.delayReplies(Duration.ZERO);
                // B's subscription survived: its near tier is in use (a copy it keeps answers B's hits).
                untilBothSubscribed();
                Eventually.until(() -> "HIT".equals(
                                b.getText("/api/products/2").headers().firstValue("X-Cache").orElse("")),
                        DEADLINE, () -> "B's near tier never answered while its circuit was open");

                // B's miss reads the price 10, then waits.
                CompletableFuture<HttpResponse<String>> gated =
                        CompletableFuture.supplyAsync(() -> b.getText("/api/products/1/gated"));
                assertTrue(resourceB.read.await(30, TimeUnit.SECONDS), "B's miss never ran");

                // The discount through A evicts product:1 in Redis and tells every near tier.
                HttpResponse<byte[]> discount = a.send(a.request("/api/products/1/discount")
                        .POST(HttpRequest.BodyPublishers.ofString("5")).build());
                assertEquals(200, discount.statusCode());
                // B has heard of it: its near copy of product 2 is gone (the next read misses).
                Eventually.until(() -> !"HIT".equals(
                                b.getText("/api/products/2").headers().firstValue("X-Cache").orElse("")),
                        DEADLINE, () -> "B's near tier never heard of the eviction through A");

                resourceB.resume.countDown();
                assertEquals("gated 1 costs 10", gated.get(30, TimeUnit.SECONDS).body(),
                        "the miss answers what it read, as without the cache");

                HttpResponse<String> after = b.getText("/api/products/1/gated");
                assertEquals("gated 1 costs 5", after.body(),
                        "B answered the response its miss produced before the eviction, X-Cache: "
                                + after.headers().firstValue("X-Cache").orElse("none"));
            }
        } finally {
            if (patient == null) {
                System.clearProperty(ResponseCacheProperties.REDIS_SLOW_CALL);
            } else {
                System.setProperty(ResponseCacheProperties.REDIS_SLOW_CALL, patient);
            }
        }
    }

    private void untilBothSubscribed() {
        Eventually.until(() -> redis.client().sendCommand(Protocol.Command.PUBSUB, "NUMSUB", prefix + "evictions")
                        instanceof List<?> reply && reply.size() == 2 && Long.valueOf(2).equals(reply.get(1)),
                DEADLINE, () -> "the instances never subscribed to " + prefix + "evictions");
    }
}
