package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;

/**
 * A near tier hears evictions over a subscription to the primary it subscribed on. When that primary hangs (a stopped
 * process, a partition: no TCP reset), the sentinels fail over and every instance reads, writes and evicts on the new
 * primary, whose messages the subscription on the hung one never receives; the feed still counted as live, so the near
 * tier answered an entry another instance had evicted, for as long as the old primary hung.
 *
 * <p>What the client got: {@code product 1 costs 10} (X-Cache: HIT, from instance A's near tier) after the discount
 * to 7 went through instance B. Expected: {@code product 1 costs 7}. The old primary is paused with
 * {@code CLIENT PAUSE}, long enough for the test to end (the outcome does not depend on how long).
 */
class NearTierAnswersAfterSentinelFailoverFromAHungPrimaryIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Pattern GETS = Pattern.compile("cmdstat_get:calls=(\\d+)");
    private static RedisSentinelProcesses sentinel;

    private final String prefix = RedisApps.uniquePrefix();
    private final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "3", "30"));

    @BeforeAll
    static void startSentinels() {
        sentinel = RedisSentinelProcesses.started();
    }

    @AfterAll
    static void stopSentinels() {
        sentinel.close();
    }

    @Path("products")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Prices {

        private final Map<String, String> prices;

        Prices(Map<String, String> prices) {
            this.prices = prices;
        }

        @GET
        @Path("{id}")
        @CacheResponse(ttl = 600, tags = "product:{id}")
        public String product(@PathParam("id") String id) {
            return "product " + id + " costs " + prices.get(id);
        }

        @POST
        @Path("{id}/discount")
        @InvalidatesCache(tags = "product:{id}")
        public String discount(@PathParam("id") String id, String price) {
            prices.put(id, price);
            return "discounted";
        }
    }

    private TestServer instance(boolean nearTier) {
        ResourceConfig config = new ResourceConfig().register(new Prices(prices)).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, "redis://" + RedisSentinelProcesses.USER + ":"
                        + RedisSentinelProcesses.PASSWORD + "@" + sentinel.sentinelAddresses() + "/0")
                .property(ResponseCacheProperties.REDIS_TOPOLOGY, "sentinel")
                .property(ResponseCacheProperties.REDIS_SENTINEL_MASTER, RedisSentinelProcesses.MASTER)
                .property(ResponseCacheProperties.REDIS_SENTINEL_PASSWORD, RedisSentinelProcesses.SENTINEL_PASSWORD)
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.REDIS_COOL_DOWN, "200ms");
        if (nearTier) {
            config.property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100");
        }
        return TestServer.jersey(config).start();
    }

    private static long gets(Jedis primary) {
        Matcher calls = GETS.matcher(primary.info("commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    private static boolean hit(TestServer server, String path) {
        return "HIT".equals(server.getText(path).headers().firstValue("X-Cache").orElse(""));
    }

    @Test
    void nearTierDoesNotAnswerAnEntryEvictedOnTheNewPrimaryWhileTheOldOneHangs() {
        try (TestServer instanceA = instance(true); TestServer instanceB = instance(false);
             Jedis primary = sentinel.primary().client()) {
            assertEquals("product 1 costs 10", instanceA.getText("/api/products/1").body());
            // A's near tier holds product 1 once a hit reads nothing from Redis (its feed is live).
            Eventually.until(() -> {
                long before = gets(primary);
                return hit(instanceA, "/api/products/1") && gets(primary) == before;
            }, DEADLINE, () -> "A's near tier never answered");

            // A must hear the switch: its Jedis listeners subscribed before it.
            sentinel.awaitListenersSubscribed(DEADLINE);
            primary.clientPause(DEADLINE.multipliedBy(4).toMillis());
            // B may ask whichever sentinel answers first where the primary is: every one must know.
            Eventually.until(() -> sentinel.everySentinelNames(sentinel.replica()), DEADLINE,
                    () -> "the sentinels never all promoted the replica");
            // B reaches the new primary before it evicts: an eviction while Redis is unreachable is replayed later.
            Eventually.until(() -> hit(instanceB, "/api/products/3"), DEADLINE, () -> "B never followed the failover");
            assertEquals(200, instanceB.send(instanceB.request("/api/products/1/discount")
                    .POST(HttpRequest.BodyPublishers.ofString("7")).build()).statusCode());
            // A follows too: it hits, on the new primary, the entry B stored there.
            Eventually.until(() -> hit(instanceA, "/api/products/3"), DEADLINE, () -> "A never followed the failover");

            HttpResponse<String> after = instanceA.getText("/api/products/1");
            assertEquals("product 1 costs 7", after.body(),
                    "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none"));
        }
    }
}
