package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.Protocol;

/**
 * An eviction is carried out only once the other instances' near tiers are told. Instance B's eviction removed the
 * entries from Redis, but its {@code PUBLISH} failed (here Redis refuses it: B's user lost the channel, then got it
 * back; a connection lost at that moment does the same). The failure was only logged: instance A's near tier kept
 * answering the evicted price until its ttl. Expected: the eviction is remembered, as any failed eviction is, and
 * replayed (publish included) once Redis takes it, after which A answers the new price.
 */
class NearTierAnswersAfterAnEvictionWhosePublishFailedIT {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10"));

    private ResourceConfig app(String uri) {
        return new ResourceConfig().register(new CatalogueResource(prices)).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, uri)
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")
                .property(ResponseCacheProperties.REDIS_SLOW_CALL, "30s")
                .property(ResponseCacheProperties.COALESCE_LEASE, "0");
    }

    private static void acl(String... args) {
        redis.client().sendCommand(Protocol.Command.ACL, args);
    }

    @Test
    void evictionWhosePublishFailedIsReplayedSoTheOtherNearTierDropsTheEntry() {
        String user = "evictor-" + prefix.replace(":", "");
        acl("SETUSER", user, "on", ">s3cret", "~" + prefix + "*", "+@all", "allchannels");
        URI server = URI.create(redis.uri());
        String evictor = "redis://" + user + ":s3cret@" + server.getHost() + ":" + server.getPort();
        try (TestServer a = TestServer.jersey(app(redis.uri())
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100")).start();
             TestServer b = TestServer.jersey(app(evictor)).start()) {
            assertEquals("product 1 costs 10", a.getText("/api/products/1").body());
            // A's near tier holds product 1 once a hit reads nothing from Redis (its feed is live).
            Eventually.until(() -> {
                long before = RedisCommandStats.calls(redis, "get");
                return "HIT".equals(a.getText("/api/products/1").headers().firstValue("X-Cache").orElse(""))
                        && RedisCommandStats.calls(redis, "get") == before;
            }, DEADLINE, () -> "A's near tier never answered");

            acl("SETUSER", user, "resetchannels");
            b.send(b.request("/api/products/1").PUT(HttpRequest.BodyPublishers.ofString("7")).build());
            acl("SETUSER", user, "allchannels");

            Eventually.until(() -> "product 1 costs 7".equals(a.getText("/api/products/1").body()), DEADLINE,
                    () -> "A still answers " + a.getText("/api/products/1").body() + " after B's eviction");
        } finally {
            acl("DELUSER", user);
        }
    }
}
