package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TcpRelay;
import dev.responsecache.testing.TestServer;
import dev.responsecache.testing.Threads;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


/**
 * ResponseCache#handedUnlessEvicted promises that an entry a leader hands over "must not answer a request that began
 * after the eviction": the waiter re-reads the store's mark and takes the leader's entry only if it has not moved.
 *
 * <p>With the Redis circuit open (Redis was slow for this instance; no near tier needed), {@code invalidationMark()}
 * answers {@code Long.MIN_VALUE} without calling Redis (RedisStore.java:233) and {@code put(entry, tags, mark)}
 * answers "accepted" without storing (RedisStore.java:259), so the leader hands its entry over, and the waiter's
 * re-read mark, {@code Long.MIN_VALUE} again, "has not moved" (ResponseCache.java:481-485) although an eviction went
 * through another instance between the leader's read and the waiter's arrival.
 *
 * <p>What the client gets: a request sent after the discount to 5 through instance A, coalesced on B behind a miss
 * that read the price before it, gets {@code gated 1 costs 10}. What it should get: {@code gated 1 costs 5}, as the
 * application without the cache answers a request sent after the change (the waiter should run the method, as it
 * does on Ehcache or with the circuit closed).
 */
class CoalescedWaiterAfterEvictionGetsLeadersResponseWhileCircuitOpenIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "2", "20"));

    private ResourceConfig app(CatalogueResource resource, String uri) {
        return new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, uri)
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
    }

    @Test
    void waiterThatArrivedAfterAnEvictionIsNotHandedTheLeadersOlderResponseWhileTheCircuitIsOpen() throws Exception {
        // The build gives every IT a patient threshold as a system property, which outranks the app's.
        String patient = System.setProperty(ResponseCacheProperties.REDIS_SLOW_CALL, "200ms");
        CatalogueResource resourceA = new CatalogueResource(prices);
        resourceA.resume.countDown();
        CatalogueResource resourceB = new CatalogueResource(prices);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()));
             TestServer a = TestServer.jersey(app(resourceA, redis.uri())).start()) {
            relay.open();
            try (TestServer b = TestServer.jersey(app(resourceB, "redis://127.0.0.1:" + relay.port())
                    .property(ResponseCacheProperties.REDIS_SLOW_CALL, "200ms")
                    .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "10s")
                    .property(ResponseCacheProperties.REDIS_COOL_DOWN, "3600s")).start()) {
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

                // B's miss reads the price 10, then waits.
                CompletableFuture<HttpResponse<String>> gated =
                        CompletableFuture.supplyAsync(() -> b.getText("/api/products/1/gated"), clients);
                assertTrue(resourceB.read.await(30, TimeUnit.SECONDS), "B's miss never ran");

                // The discount through A evicts product:1 in Redis.
                HttpResponse<byte[]> discount = a.send(a.request("/api/products/1/discount")
                        .POST(HttpRequest.BodyPublishers.ofString("5")).build());
                assertEquals(200, discount.statusCode());
                // Sent after the change: without the cache it is answered "costs 5". It waits for B's leader.
                CompletableFuture<HttpResponse<String>> waiter =
                        CompletableFuture.supplyAsync(() -> b.getText("/api/products/1/gated"), clients);
                Threads.awaitWaitingIn("dev.responsecache.core.InFlight", 1);

                resourceB.resume.countDown();
                assertEquals("gated 1 costs 10", gated.get(30, TimeUnit.SECONDS).body(),
                        "the miss answers what it read, as without the cache");

                HttpResponse<String> after = waiter.get(30, TimeUnit.SECONDS);
                assertEquals("gated 1 costs 5", after.body(),
                        "a request sent after the eviction was handed the leader's older response, X-Cache: "
                                + after.headers().firstValue("X-Cache").orElse("none"));
            }
        } finally {
            clients.shutdownNow();
            if (patient == null) {
                System.clearProperty(ResponseCacheProperties.REDIS_SLOW_CALL);
            } else {
                System.setProperty(ResponseCacheProperties.REDIS_SLOW_CALL, patient);
            }
        }
    }
}
