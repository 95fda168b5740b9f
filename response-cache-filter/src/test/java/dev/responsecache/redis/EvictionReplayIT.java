package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidationException;
import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheHealthServlet;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TcpRelay;
import dev.responsecache.testing.TestServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An eviction that fails because Redis is unreachable is remembered and replayed once Redis answers: until then the
 * instance that made it serves every request uncached, and once it has replayed it, no instance serves what it
 * condemned. Instance A reaches Redis through a relay the tests cut (Redis keeps its data); instance B reaches it
 * directly, as an instance on the other side of a partial outage.
 */
class EvictionReplayIT {

    /** Far beyond the one-second retry and the 200 ms cool-down, on a loaded machine. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String TOKEN = "purge-0123456789abcdef";

    private final String prefix = RedisApps.uniquePrefix();
    private final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "2", "20"));
    private RedisTestServer redis;
    private TcpRelay relay;
    private TestServer instanceA;
    private TestServer instanceB;

    private TestServer instance(String uri, String readTimeout) {
        CatalogueResource resource = new CatalogueResource(prices);
        resource.resume.countDown();
        TestServer server = TestServer.jersey(new ResourceConfig().register(resource)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, uri)
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.REDIS_COOL_DOWN, "200ms")
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, readTimeout)
                .property(ResponseCacheProperties.PURGE_TOKEN, TOKEN));
        server.context().addServlet(new ServletHolder(new ResponseCacheHealthServlet()), "/health");
        return server.start();
    }

    @BeforeEach
    void start() throws Exception {
        redis = RedisTestServer.started();
        relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()));
        relay.open();
        // Beyond a loaded machine's late reply (the default, 200 ms, is not), yet short: A waits it out on every call
        // while the relay holds Redis's replies.
        instanceA = instance("redis://127.0.0.1:" + relay.port(), "2s");
        // B reaches Redis directly, and never waits on a held reply.
        instanceB = instance(redis.uri(), "30s");
    }

    @AfterEach
    void stop() {
        instanceA.close();
        instanceB.close();
        relay.close();
        redis.close();
    }

    @Test
    void evictionDuringRedisOutageIsReplayedBeforeTheNextHit() throws Exception {
        cachedOnBoth("/api/products/1");
        cachedOnBoth("/api/products");
        Logger logger = Logger.getLogger("dev.responsecache");
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            relay.cut();
            prices.put("1", "11");
            ResponseCacheInvalidationException failed = assertThrows(ResponseCacheInvalidationException.class,
                    () -> invalidator(instanceA).evictTags("product:1"));
            assertTrue(failed.remembered());
            assertTrue(failed.getMessage().contains("replayed"), failed.getMessage());
            assertTrue(health(instanceA).contains("\"rememberedEvictions\":1"), health(instanceA));
            // Behind the first, in order, however the store answers meanwhile.
            assertThrows(ResponseCacheInvalidationException.class, () -> invalidator(instanceA).evictTags("products"));
            assertTrue(health(instanceA).contains("\"rememberedEvictions\":2"), health(instanceA));

            HttpResponse<String> uncached = instanceA.getText("/api/products/1");
            assertEquals("product 1 costs 11", uncached.body());
            assertTrue(cacheStatus(uncached).contains("detail=evictions-pending"), cacheStatus(uncached));
            assertEquals("product 1 costs 10", instanceB.getText("/api/products/1").body(),
                    "an instance that still reaches Redis serves the entry until the replay (a documented limit)");

            relay.open();
            HttpResponse<String> first = instanceA.getText("/api/products/1");
            assertEquals("product 1 costs 11", first.body(), "the first request after Redis came back");
            Eventually.until(() -> "product 1 costs 11".equals(instanceB.getText("/api/products/1").body()),
                    DEADLINE, () -> "instance B still serves the condemned entry");
            Eventually.until(() -> health(instanceA).contains("\"rememberedEvictions\":0"), DEADLINE,
                    () -> "never replayed: " + health(instanceA));
            assertEquals("all {1=11, 2=20}", instanceB.getText("/api/products").body(),
                    "the second remembered eviction replayed too");
            Eventually.until(() -> "HIT".equals(instanceA.getText("/api/products/1").headers().firstValue("X-Cache")
                    .orElseThrow()), DEADLINE, () -> "instance A never caches again");
            assertEquals("product 1 costs 11", instanceA.getText("/api/products/1").body());

            List<String> remembered = log.messagesAtLeast(Level.WARNING).stream()
                    .filter(message -> message.contains("invalidation")).toList();
            assertEquals(1, remembered.size(), remembered::toString);
            assertTrue(remembered.get(0).contains("remembered"), remembered.get(0));
            List<String> replayed = log.messagesAtLeast(Level.INFO).stream()
                    .filter(message -> message.contains("replayed;")).toList();
            assertEquals(1, replayed.size(), replayed::toString);
        } finally {
            logger.setLevel(level);
        }
    }

    /**
     * The instance that evicted gets no request once Redis is back: its background retry replays the evictions, and
     * the other instance stops serving what they condemned.
     */
    @Test
    void evictionsByPurgeAndUpdateDuringRedisOutageAreReplayedByAnIdleInstance() throws Exception {
        cachedOnBoth("/api/products/1");
        cachedOnBoth("/api/products/2?currency=eur");
        relay.cut();

        HttpResponse<byte[]> update = instanceA.send(instanceA.request("/api/products/1/discount")
                .POST(HttpRequest.BodyPublishers.ofString("7")).build());
        assertEquals(200, update.statusCode(), "the update that could not evict still succeeds");
        assertEquals("discounted", new String(update.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> purge = instanceA.send(instanceA.request("/api/products/2?currency=eur")
                .method("PURGE", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + TOKEN).build());
        String purgeBody = new String(purge.body(), StandardCharsets.UTF_8);
        assertEquals(503, purge.statusCode(), purgeBody);
        assertTrue(purgeBody.contains("remembered and replayed"), purgeBody);
        assertEquals("product 1 costs 10", instanceB.getText("/api/products/1").body());

        relay.open();
        Eventually.until(() -> "product 1 costs 7".equals(instanceB.getText("/api/products/1").body()),
                DEADLINE, () -> "instance B still serves the entry the update condemned");
        Eventually.until(() -> "MISS".equals(cacheStatusOf(instanceB.getText("/api/products/2?currency=eur"))),
                DEADLINE, () -> "instance B still serves the purged entry");
        // B may see the deletes before A's replay (still publishing) empties its queue.
        Eventually.until(() -> health(instanceA).contains("\"rememberedEvictions\":0"), DEADLINE,
                () -> health(instanceA));
    }

    /**
     * Redis reachable but answering nothing (the relay holds its replies, as a hung server): the eviction times out
     * before it deletes anything, and is replayed once Redis answers again.
     */
    @Test
    void evictionThatTimesOutIsReplayedOnceRedisAnswersAgain() throws Exception {
        cachedOnBoth("/api/products/1");
        relay.delayReplies(Duration.ofDays(1));
        prices.put("1", "13");
        ResponseCacheInvalidationException failed = assertThrows(ResponseCacheInvalidationException.class,
                () -> invalidator(instanceA).evictTags("product:1"));
        assertTrue(failed.remembered(), failed.getMessage());
        assertEquals("product 1 costs 10", instanceB.getText("/api/products/1").body(), "nothing evicted yet");
        assertEquals("product 1 costs 13", instanceA.getText("/api/products/1").body());

        relay.delayReplies(Duration.ZERO);
        Eventually.until(() -> "product 1 costs 13".equals(instanceB.getText("/api/products/1").body()),
                DEADLINE, () -> "instance B still serves the entry the timed-out eviction condemned");
    }

    @Test
    void everyEntryEvictedDuringRedisOutageIsReplayed() throws Exception {
        cachedOnBoth("/api/products/1");
        relay.cut();
        prices.put("1", "12");
        ResponseCacheInvalidationException failed = assertThrows(ResponseCacheInvalidationException.class,
                () -> invalidator(instanceA).evictAll());
        assertTrue(failed.remembered());
        relay.open();
        Eventually.until(() -> "product 1 costs 12".equals(instanceB.getText("/api/products/1").body()),
                DEADLINE, () -> "instance B still serves an entry evicted with every other");
    }

    /**
     * A tag key someone else wrote with another type: Redis answers the eviction with WRONGTYPE, and would answer its
     * replay the same way for ever, keeping instance A uncached with one warning that named neither the tag nor the
     * error. The replay evicts every entry instead (which removes what the tag named), says so with the tag and the
     * error, health shows them, and A caches again.
     */
    @Test
    void evictionThatRedisRefusesForATagKeyOfAnotherTypeEvictsEveryEntryInsteadOfKeepingTheInstanceUncached()
            throws Exception {
        cachedOnBoth("/api/products/1");
        cachedOnBoth("/api/products/2?currency=eur");
        redis.client().set(prefix + "k" + RedisKeys.LAYOUT + ":t:{" + RedisKeys.digest("product:1") + "}",
                "written by another application");
        prices.put("1", "14");
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            ResponseCacheInvalidationException failed = assertThrows(ResponseCacheInvalidationException.class,
                    () -> invalidator(instanceA).evictTags("product:1"));
            assertTrue(failed.remembered(), failed.getMessage());

            Eventually.until(() -> health(instanceA).contains("\"rememberedEvictions\":0"), DEADLINE,
                    () -> "still remembered: " + health(instanceA));
            assertEquals("product 1 costs 14", instanceB.getText("/api/products/1").body());
            assertEquals("MISS", cacheStatusOf(instanceB.getText("/api/products/2?currency=eur")),
                    "every entry was evicted");
            String health = health(instanceA);
            assertTrue(health.contains("product:1") && health.contains("WRONGTYPE"), health);
            List<String> refused = log.messagesAtLeast(Level.WARNING).stream()
                    .filter(message -> message.contains("refused")).toList();
            assertEquals(1, refused.size(), refused::toString);
            assertTrue(refused.get(0).contains("product:1") && refused.get(0).contains("WRONGTYPE")
                    && refused.get(0).contains("every entry"), refused.get(0));
            Eventually.until(() -> "HIT".equals(cacheStatusOf(instanceA.getText("/api/products/2?currency=eur"))),
                    DEADLINE, () -> "instance A never caches again");
        }
    }

    /** Stored through A and hit through B, so a later miss proves the eviction. */
    private void cachedOnBoth(String path) {
        instanceA.getText(path);
        assertEquals("HIT", cacheStatusOf(instanceB.getText(path)), path);
    }

    private static String cacheStatusOf(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElseThrow();
    }

    private static String cacheStatus(HttpResponse<?> response) {
        return response.headers().firstValue("Cache-Status").orElseThrow();
    }

    private static String health(TestServer server) {
        return server.getText("/health").body();
    }

    private static ResponseCacheInvalidator invalidator(TestServer server) {
        return (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
    }
}
