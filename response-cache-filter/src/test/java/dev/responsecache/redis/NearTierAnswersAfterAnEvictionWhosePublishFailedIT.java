package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.LocalPorts;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;

/**
 * An eviction is carried out only once the other instances' near tiers are told. Instance B's eviction removed the
 * entries from Redis, but its {@code PUBLISH} failed (its connection lost at that moment): the failure was only logged,
 * and instance A's near tier kept answering the evicted price until its ttl. Expected: the eviction is remembered, as
 * any failed eviction is, and replayed (publish included) once Redis takes it, after which A answers the new price.
 * A {@code PUBLISH} the user's ACL refuses is not that: no instance of that user can subscribe, a replay would be
 * refused every second, and the instance would stay uncached for good; it is reported, and the eviction stands.
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
    void publishThatFailsForItsConnectionIsNotDoneSoTheEvictionIsReplayed() throws Exception {
        // Below the ephemeral range: a port found free there is never a connection's own, which the kernel may give
        // the client connecting to it (a closed port from port 0 is in that range, and the client could connect to
        // itself).
        int closedPort = LocalPorts.free();
        try (UnifiedJedis gone = new UnifiedJedis(new HostAndPort("127.0.0.1", closedPort))) {
            RedisEvictionFeed feed = new RedisEvictionFeed(gone, () -> {
                throw new IllegalStateException("this feed never subscribes");
            }, prefix, Duration.ofSeconds(1), "127.0.0.1:" + closedPort, () -> { }, System::nanoTime);
            assertFalse(feed.published(), "a PUBLISH that never reached Redis told no near tier");
        }
    }

    @Test
    void publishTheUsersAclRefusesIsReportedAndTheEvictionStandsSoTheInstanceKeepsCaching() {
        String user = "evictor-" + prefix.replace(":", "");
        acl("SETUSER", user, "on", ">s3cret", "~" + prefix + "*", "+@all", "resetchannels");
        URI server = URI.create(redis.uri());
        String evictor = "redis://" + user + ":s3cret@" + server.getHost() + ":" + server.getPort();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer b = TestServer.jersey(app(evictor)).start()) {
            assertEquals("product 1 costs 10", b.getText("/api/products/1").body());
            b.send(b.request("/api/products/1").PUT(HttpRequest.BodyPublishers.ofString("7")).build());
            b.send(b.request("/api/products/1").PUT(HttpRequest.BodyPublishers.ofString("8")).build());

            assertEquals("product 1 costs 8", b.getText("/api/products/1").body());
            assertEquals("HIT", b.getText("/api/products/1").headers().firstValue("X-Cache").orElse(""),
                    "the instance caches again at once: nothing was remembered to replay");
            List<String> refusals = log.messagesAtLeast(Level.WARNING).stream()
                    .filter(message -> message.contains("refused to publish evictions on " + prefix + "evictions"))
                    .toList();
            assertEquals(1, refusals.size(), "reported once: " + refusals);
            assertTrue(refusals.get(0).contains("&" + prefix + "evictions"), refusals.get(0));
        } finally {
            acl("DELUSER", user);
        }
    }
}
