package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TcpRelay;
import dev.responsecache.testing.TestServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Protocol;

/**
 * Redis down, slow, unreachable at start-up or full: every request is still answered, in bounded time, uncached;
 * the fault is logged once; and the cache is used again by itself once Redis answers.
 */
class RedisOutageIT {

    /** Far above the 200 ms default timeouts, far below a client's patience. */
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(15);

    private final String prefix = RedisApps.uniquePrefix();
    private final RedisResource resource = new RedisResource();
    private final LogCapture log = LogCapture.of("dev.responsecache");
    private RedisTestServer redis;
    private TestServer app;

    @AfterEach
    void stop() {
        log.close();
        if (app != null) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void requestsAreServedWhileRedisIsStoppedAndHitsResumeAfterItRestarts() {
        redis = RedisTestServer.started();
        app = RedisApps.start(resource, redis.uri(), prefix);
        app.getText("/api/items/1");
        assertEquals("HIT", app.getText("/api/items/1").headers().firstValue("X-Cache").orElseThrow());
        log.clear();

        redis.stop();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = servedGet("/api/items/1");
            assertEquals("MISS", response.headers().firstValue("X-Cache").orElseThrow());
        }
        List<String> warnings = log.messagesAtLeast(Level.WARNING);
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("Redis at ") && warnings.get(0).contains("judged unhealthy"),
                warnings.get(0));

        redis.start();
        awaitHit("/api/items/1");
        assertEquals(1, log.messagesAtLeast(Level.WARNING).size());
    }

    /**
     * Redis answering every command, but 400 ms late (a relay holds each reply): judged unhealthy like a dead Redis,
     * then left alone (no request waits for it) until a probe after the cool-down finds it fast again. Time is the
     * injected monotonic source: the test jumps over the cool-down instead of waiting for it.
     */
    @Test
    void slowRedisIsLeftAloneLikeADeadOneAndUsedAgainOnceItIsFast() throws Exception {
        redis = RedisTestServer.started();
        AtomicLong jumped = new AtomicLong();
        LongSupplier ticker = () -> System.nanoTime() + jumped.get();
        Logger logger = Logger.getLogger("dev.responsecache");
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        // The build gives every IT a patient threshold as a system property, which outranks the app's: this test is
        // about the threshold, so it sets its own where it counts.
        String patient = System.setProperty(ResponseCacheProperties.REDIS_SLOW_CALL, "200ms");
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()))) {
            relay.open();
            app = TestServer.jersey(RedisApps.app(resource, "redis://127.0.0.1:" + relay.port(), prefix)
                    .property(ResponseCacheProperties.TICKER, ticker)
                    .property(ResponseCacheProperties.REDIS_SLOW_CALL, "200ms")
                    .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "10s")
                    .property(ResponseCacheProperties.REDIS_COOL_DOWN, "3600s")).start();
            app.getText("/api/items/5");
            assertEquals("HIT", app.getText("/api/items/5").headers().firstValue("X-Cache").orElseThrow());
            log.clear();

            relay.delayReplies(Duration.ofMillis(400));
            int slowHits = 0;
            while ("HIT".equals(app.getText("/api/items/5").headers().firstValue("X-Cache").orElseThrow())) {
                assertTrue(++slowHits < 20, "still calling a Redis that answers 400 ms late");
            }
            assertEquals(1, log.messagesAtLeast(Level.WARNING).size(), () -> log.messagesAtLeast(Level.WARNING)
                    .toString());
            assertTrue(log.messagesAtLeast(Level.WARNING).get(0).contains("judged unhealthy"));
            long sentToRedis = relay.requestBytes();
            for (int i = 0; i < 5; i++) {
                assertEquals("MISS", app.getText("/api/items/5").headers().firstValue("X-Cache").orElseThrow());
            }
            assertEquals(sentToRedis, relay.requestBytes(), "no request calls Redis while it is judged unhealthy");

            relay.delayReplies(Duration.ZERO);
            jumped.addAndGet(Duration.ofHours(1).toNanos());
            assertEquals("HIT", app.getText("/api/items/5").headers().firstValue("X-Cache").orElseThrow(),
                    "the probe after the cool-down finds Redis fast, and its answer is used");
            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertEquals(2, lines.size(), lines::toString);
            assertTrue(lines.get(1).contains("recovered"), lines.get(1));
        } finally {
            logger.setLevel(level);
            if (patient == null) {
                System.clearProperty(ResponseCacheProperties.REDIS_SLOW_CALL);
            } else {
                System.setProperty(ResponseCacheProperties.REDIS_SLOW_CALL, patient);
            }
        }
    }

    /**
     * Every pooled connection busy (one, held by a request whose reply Redis delays): another request is served
     * uncached at once, and that is not an outage: no warning, Redis still in use.
     */
    @Test
    void fullPoolIsAMissNotAnOutage() throws Exception {
        redis = RedisTestServer.started();
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()))) {
            relay.open();
            app = TestServer.jersey(RedisApps.app(resource, "redis://127.0.0.1:" + relay.port(), prefix)
                    .property(ResponseCacheProperties.REDIS_POOL_SIZE, "1")
                    .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "10s")).start();
            app.getText("/api/items/6");
            assertEquals("HIT", app.getText("/api/items/6").headers().firstValue("X-Cache").orElseThrow());
            log.clear();

            relay.delayReplies(Duration.ofSeconds(3));
            long sent = relay.requestBytes();
            java.util.concurrent.CompletableFuture<HttpResponse<String>> holder =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> app.getText("/api/items/6"));
            Eventually.until(() -> relay.requestBytes() != sent, RECOVERY_DEADLINE,
                    () -> "the first request never reached Redis");
            HttpResponse<String> squeezed = servedGet("/api/items/7");
            assertEquals("MISS", squeezed.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING), "a busy pool is not an outage");
            relay.delayReplies(Duration.ZERO);
            assertEquals(200, holder.get().statusCode());
            awaitHit("/api/items/6");
        }
    }

    @Test
    void unreachableRedisAtStartUpDoesNotStopTheAppAndIsUsedOnceItAnswers() {
        redis = RedisTestServer.notStarted();
        app = RedisApps.start(resource, redis.uri(), prefix);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = servedGet("/api/items/3");
            assertEquals("MISS", response.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("item 3 call " + (i + 1), response.body());
        }
        assertEquals(1, log.messagesAtLeast(Level.WARNING).size(), () -> log.messagesAtLeast(Level.WARNING).toString());

        redis.start();
        awaitHit("/api/items/3");
    }

    @Test
    void fullRedisThatRefusesWritesStillServesAndIsUsedOnceItHasRoom() {
        redis = RedisTestServer.started();
        app = RedisApps.start(resource, redis.uri(), prefix);
        app.getText("/api/items/warm-up");
        String policy = redis.config("maxmemory-policy");
        String maxMemory = redis.config("maxmemory");
        try {
            redis.config("maxmemory-policy", "noeviction");
            redis.config("maxmemory", "1");
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> response = servedGet("/api/items/4");
                assertEquals("MISS", response.headers().firstValue("X-Cache").orElseThrow());
            }
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).startsWith("Redis writes to "), warnings.get(0));
        } finally {
            redis.config("maxmemory", maxMemory);
            redis.config("maxmemory-policy", policy);
        }
        awaitHit("/api/items/4");
    }

    /**
     * A request that must succeed whatever Redis is doing. How long it may take is not measured here (a loaded machine
     * would make that flaky): the store budget bounds it, and {@code StoreBudgetTest} proves that on a controlled clock.
     */
    private HttpResponse<String> servedGet(String path) {
        HttpResponse<String> response = app.getText(path);
        assertEquals(200, response.statusCode(), response::body);
        return response;
    }

    /** Repeats the request until it is a hit; each attempt must be answered in bounded time. */
    private void awaitHit(String path) {
        Eventually.until(() -> "HIT".equals(servedGet(path).headers().firstValue("X-Cache").orElse("")),
                RECOVERY_DEADLINE, () -> "no hit within " + RECOVERY_DEADLINE + " after Redis came back");
    }
}
