package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TcpRelay;
import dev.responsecache.testing.TestServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            // The probe after the cool-down finds Redis fast, and its answer is used. Fast means within the 200 ms
            // threshold, which a loaded machine may still exceed: such a probe keeps the breaker open for another
            // cool-down, past which the next round moves.
            Eventually.until(() -> {
                jumped.addAndGet(Duration.ofHours(1).toNanos());
                return "HIT".equals(app.getText("/api/items/5").headers().firstValue("X-Cache").orElseThrow());
            }, RECOVERY_DEADLINE, () -> "no probe after a cool-down found Redis fast and had its answer used");
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
     * Every pooled connection busy (the one there is, held by a request whose write Redis holds back while it pauses
     * writes, as a primary does in a failover): another request's writes find no free connection, so it is served
     * uncached at once, and that is not an outage: no warning, and hits (reads, which are not paused, through the
     * pipelined connection) go on meanwhile.
     */
    @Test
    void fullPoolOnWritesIsAMissNotAnOutage() throws Exception {
        redis = RedisTestServer.started();
        app = TestServer.jersey(RedisApps.app(resource, redis.uri(), prefix)
                .property(ResponseCacheProperties.REDIS_POOL_SIZE, "1")
                // The held write must wait for the test, not give up first.
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "60s")).start();
        app.getText("/api/items/6");
        assertEquals("HIT", app.getText("/api/items/6").headers().firstValue("X-Cache").orElseThrow());
        log.clear();

        CompletableFuture<HttpResponse<String>> holder;
        redis.client().sendCommand(Protocol.Command.CLIENT, "PAUSE", "600000", "WRITE");
        try {
            holder = CompletableFuture.supplyAsync(() -> app.getText("/api/items/7"));
            Eventually.until(() -> blockedClients() == 1, RECOVERY_DEADLINE,
                    () -> "the first request's write never reached Redis");
            HttpResponse<String> squeezed = servedGet("/api/items/8");
            assertEquals("MISS", squeezed.headers().firstValue("X-Cache").orElseThrow());
            assertTrue(squeezed.body().startsWith("item 8 call "), squeezed::body);
            assertEquals("HIT", servedGet("/api/items/6").headers().firstValue("X-Cache").orElseThrow(),
                    "Redis still in use");
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING), "a busy pool is not an outage");
        } finally {
            redis.client().sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
        }
        assertEquals(200, holder.get(RECOVERY_DEADLINE.toSeconds(), TimeUnit.SECONDS).statusCode());
        awaitHit("/api/items/7");
        awaitHit("/api/items/8");
    }

    /**
     * Every pooled connection busy while the pipelined connection is being made (a cold instance's first hits, or the
     * hits right after a fault, read through the pool meanwhile): a read that
     * finds no free connection is a miss at once, counted as a busy pool, and that is not an outage: no warning, and
     * the reads that waited are answered. A relay holds Redis's replies until the test lets them go.
     */
    @Test
    void fullPoolOnReadsIsAMissNotAnOutage() throws Exception {
        redis = RedisTestServer.started();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", URI.create(redis.uri()).getPort()))) {
            relay.open();
            Map<String, Object> properties = Map.of(
                    ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:" + relay.port(),
                    ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                    ResponseCacheProperties.REDIS_POOL_SIZE, "1",
                    // The held reads must wait for the test, not give up first.
                    ResponseCacheProperties.REDIS_READ_TIMEOUT, "60s");
            RedisStore store = RedisConnections.open(RedisSettings.from(new PropertyValues(properties::get)),
                    Clock.systemUTC(), System::nanoTime);
            try {
                for (String key : List.of("GET /a", "GET /b", "GET /c")) {
                    store.put(entry(key));
                }
                log.clear();
                relay.delayReplies(Duration.ofDays(1));

                // The first read makes the pipelined connection: its login waits for its held reply.
                long sent = relay.requestBytes();
                Future<CacheEntry> connecting = readers.submit(() -> store.get("GET /a"));
                Eventually.until(() -> relay.requestBytes() > sent, RECOVERY_DEADLINE,
                        () -> "the pipelined connection was never begun");
                // The second reads through the pool meanwhile, and holds its only connection.
                long gets = RedisCommandStats.calls(redis, "get");
                Future<CacheEntry> pooled = readers.submit(() -> store.get("GET /b"));
                Eventually.until(() -> RedisCommandStats.calls(redis, "get") > gets, RECOVERY_DEADLINE,
                        () -> "the pooled read never reached Redis");

                assertNull(store.get("GET /c"), "no free connection: a miss");
                Map<String, Long> faults = store.faultCounts();
                assertEquals(1L, faults.get(StoreFaults.POOL_BUSY), faults::toString);
                assertEquals(0L, faults.get(StoreFaults.TIMEOUT), faults::toString);
                assertEquals(0L, faults.get(StoreFaults.CONNECTION), faults::toString);
                assertEquals(List.of(), log.messagesAtLeast(Level.WARNING), "a busy pool is not an outage");

                relay.delayReplies(Duration.ZERO);
                assertNotNull(connecting.get(RECOVERY_DEADLINE.toSeconds(), TimeUnit.SECONDS));
                assertNotNull(pooled.get(RECOVERY_DEADLINE.toSeconds(), TimeUnit.SECONDS));
                assertNotNull(store.get("GET /c"), "Redis still in use");
            } finally {
                store.close();
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private long blockedClients() {
        Matcher blocked = Pattern.compile("blocked_clients:(\\d+)").matcher(redis.client().info("clients"));
        assertTrue(blocked.find());
        return Long.parseLong(blocked.group(1));
    }

    private static CacheEntry entry(String key) {
        long now = System.currentTimeMillis();
        return new CacheEntry(key, 200, List.of(new Header("Content-Type", "text/plain")),
                key.getBytes(StandardCharsets.UTF_8), now, now + 3_600_000, List.of());
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
     * would make that flaky): the store budget bounds it, and {@code StoreBudgetTest} proves that on a controlled
     * clock.
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
