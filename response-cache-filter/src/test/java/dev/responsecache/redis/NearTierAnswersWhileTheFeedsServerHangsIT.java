package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisProcess;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A near tier answers only while its eviction feed is subscribed. A subscription on a server that hangs (a stopped
 * process, a partition: the TCP connection open and silent) still counted as live, so an eviction published meanwhile
 * (through another instance, on a Cluster through another node) never reached the instance, whose near tier kept
 * answering the evicted entry until TCP gave up on the connection, minutes later.
 *
 * <p>What the client got: {@code X-Cache: HIT} from the near tier, {@code PONG_WAIT} and more after the server the
 * feed subscribed on had stopped. Expected: the near tier bypassed (the lookup asks Redis, which does not answer, so
 * the origin serves). The server is stopped with SIGSTOP; time is the store's injected monotonic source, moved by the
 * test instead of waited out.
 *
 * <p>And once not live, the feed subscribed again on an idle pooled connection to the same stopped server, whose
 * {@code SUBSCRIBE} Jedis waits for without a read timeout, and no {@code PING} is sent while not live: the subscribing
 * thread hung until the server answered (on a Cluster it never tried another node; on Sentinel the unanswered
 * {@code UNSUBSCRIBE} from a former primary kept it from the new one). Expected: an attempt unanswered for
 * {@code PONG_WAIT} is given up and made again, with the server still stopped.
 */
class NearTierAnswersWhileTheFeedsServerHangsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration COOL_DOWN = Duration.ofMillis(200);
    private static final String STORE_UNAVAILABLE = "ResponseCache; fwd=bypass; detail=store-unavailable";
    private static final Pattern GETS = Pattern.compile("cmdstat_get:calls=(\\d+)");
    private static RedisProcess server;

    private final AtomicInteger served = new AtomicInteger();
    private static final long START = System.nanoTime();
    private final AtomicLong jumped = new AtomicLong();

    @BeforeAll
    static void startServer() throws IOException {
        server = RedisProcess.plain(Files.createTempDirectory("redis-hung-feed"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Path("products")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Products {

        private final AtomicInteger served;

        Products(AtomicInteger served) {
            this.served = served;
        }

        @GET
        @Path("1")
        @CacheResponse(ttl = 600)
        public String product() {
            return "product 1, served " + served.incrementAndGet() + " times";
        }
    }

    private TestServer instance() {
        // The whole instance keeps the feed's time: its pings, the breaker's windows and cool-down and the pipelined
        // reads' timeout wait for the test's jumps. On real time plus the jumps, a test stalled for PONG_WAIT after
        // the server stopped found the PING it had made due already overdue, and the near tier bypassed too early.
        LongSupplier ticker = this::movedOnlyByTheTest;
        return TestServer.jersey(new ResourceConfig().register(new Products(served))
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:" + server.port())
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, RedisApps.uniquePrefix())
                .property(ResponseCacheProperties.REDIS_COOL_DOWN, COOL_DOWN.toMillis() + "ms")
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, READ_TIMEOUT.toMillis() + "ms")
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100")
                .property(ResponseCacheProperties.TICKER, ticker)).start();
    }

    private static long gets(Jedis redis) {
        Matcher calls = GETS.matcher(redis.info("commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    /** The first answer for product 1 the near tier did not give: while it answers, the request is sent again. */
    private static HttpResponse<String> firstNotFromTheNearTier(TestServer instance) {
        AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
        Eventually.until(() -> {
            answer.set(instance.getText("/api/products/1"));
            return !"HIT".equals(cacheStatus(answer.get()));
        }, DEADLINE, () -> "the near tier still answered after " + DEADLINE);
        return answer.get();
    }

    private static String cacheStatus(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /**
     * The feed's time (and the instance's ticker): it moves only when the test moves it, so that a test stalled on a
     * loaded machine never finds a PING judged overdue that it has not made overdue itself (the feed's thread wakes on
     * real time, then reads this).
     */
    private long movedOnlyByTheTest() {
        return START + jumped.get();
    }

    @Test
    void nearTierIsBypassedOnceTheFeedsServerLeavesItsPingUnanswered() throws Exception {
        try (TestServer instance = instance(); Jedis redis = server.client()) {
            instance.getText("/api/products/1");
            // The near tier holds the entry once a hit reads nothing from Redis (the feed is live).
            Eventually.until(() -> {
                long before = gets(redis);
                return "HIT".equals(cacheStatus(instance.getText("/api/products/1"))) && gets(redis) == before;
            }, DEADLINE, () -> "the near tier never answered");
            int servedBefore = served.get();

            server.signal("STOP");
            try {
                // Silent past the ping interval: the feed's thread sends the subscription a PING, which goes
                // unanswered; until the pong is overdue the near tier still answers.
                jumped.addAndGet(RedisEvictionFeed.PING_AFTER.toNanos());
                assertEquals("HIT", cacheStatus(instance.getText("/api/products/1")));

                // Once the feed's thread finds the pong overdue (on the clock moved below), the near tier is bypassed:
                // the lookup asks the stopped server, and waits out its read timeout on the moved clock.
                CompletableFuture<HttpResponse<String>> lookup =
                        CompletableFuture.supplyAsync(() -> firstNotFromTheNearTier(instance));
                Eventually.until(() -> {
                    jumped.addAndGet(READ_TIMEOUT.toNanos());
                    return lookup.isDone();
                }, DEADLINE, () -> "the lookup never ended");
                HttpResponse<String> during = lookup.get();
                assertNotEquals("HIT", cacheStatus(during), during.body());
                assertEquals("product 1, served " + (servedBefore + 1) + " times", during.body());
            } finally {
                server.signal("CONT");
            }
            // The server answers again: the feed subscribes again, and the near tier answers again. Should the outage
            // have opened the store's breaker, its probe waits for the cool-down on the moved clock: moved here only
            // while the store is refused, never far enough to judge overdue a PING the live feed awaits.
            Eventually.until(() -> {
                long before = gets(redis);
                HttpResponse<String> again = instance.getText("/api/products/1");
                if (STORE_UNAVAILABLE.equals(again.headers().firstValue("Cache-Status").orElse(""))) {
                    jumped.addAndGet(COOL_DOWN.toNanos());
                }
                return "HIT".equals(cacheStatus(again)) && gets(redis) == before;
            }, DEADLINE, () -> "the near tier never answered again");
        }
    }

    /**
     * A near hit asks the feed whether it is live without reading a clock: the feed's own thread sends the PING and
     * judges its pong overdue, at their deadlines, with nobody asking.
     */
    @Test
    void feedsOwnThreadPingsAndJudgesTheHungServerWithNobodyAsking() {
        PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort("127.0.0.1", server.port()));
        try (UnifiedJedis redis = new UnifiedJedis(provider)) {
            RedisEvictionFeed feed = new RedisEvictionFeed(redis, provider::getConnection, RedisApps.uniquePrefix(),
                    Duration.ofMillis(200), "127.0.0.1:" + server.port(), () -> { }, this::movedOnlyByTheTest);
            feed.listen(() -> { });
            try {
                Eventually.until(feed::live, DEADLINE, () -> "the feed never subscribed");
                server.signal("STOP");
                try {
                    jumped.addAndGet(RedisEvictionFeed.PING_AFTER.toNanos());
                    Eventually.until(feed::awaitingPong, DEADLINE, () -> "the feed's thread sent no PING");
                    assertTrue(feed.live(), "live while its PING is awaited");
                    jumped.addAndGet(RedisEvictionFeed.PONG_WAIT.toNanos());
                    Eventually.until(() -> !feed.live(), DEADLINE, () -> "live though its PING went unanswered");
                } finally {
                    server.signal("CONT");
                }
                Eventually.until(feed::live, DEADLINE, () -> "the feed never subscribed again");
            } finally {
                feed.close();
            }
        }
    }

    @Test
    void subscriptionUnansweredByTheHungServerIsGivenUpAndMadeAgain() {
        AtomicInteger drops = new AtomicInteger();
        PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort("127.0.0.1", server.port()));
        try (UnifiedJedis redis = new UnifiedJedis(provider)) {
            RedisEvictionFeed feed = new RedisEvictionFeed(redis, provider::getConnection, RedisApps.uniquePrefix(),
                    Duration.ofMillis(200), "127.0.0.1:" + server.port(), () -> { }, this::movedOnlyByTheTest);
            feed.listen(drops::incrementAndGet);
            try {
                Eventually.until(feed::live, DEADLINE, () -> "the feed never subscribed");
                // Idle pooled connections, open to the server: the next subscriptions are made on them, with no
                // handshake whose read timeout would end an attempt on a stopped server.
                try (Connection a = provider.getConnection(); Connection b = provider.getConnection();
                     Connection c = provider.getConnection()) {
                    a.ping();
                    b.ping();
                    c.ping();
                }
                int dropsBefore;
                server.signal("STOP");
                try {
                    // check() is what the feed's thread runs at each deadline: a PING due, then its pong overdue.
                    jumped.addAndGet(RedisEvictionFeed.PING_AFTER.toNanos());
                    feed.check();
                    assertTrue(feed.live(), "live while its PING is awaited");
                    jumped.addAndGet(RedisEvictionFeed.PONG_WAIT.toNanos());
                    feed.check();
                    assertFalse(feed.live(), "live though its PING went unanswered");

                    // Two attempts more mean that one made on the stopped server was given up without its answer.
                    long attempts = feed.attempts();
                    Eventually.until(() -> {
                        jumped.addAndGet(RedisEvictionFeed.PONG_WAIT.toNanos());
                        return feed.attempts() >= attempts + 2;
                    }, DEADLINE, () -> "the feed waited on the stopped server after " + feed.attempts()
                            + " attempts");
                    assertFalse(feed.live(), "live while the server is stopped");
                } finally {
                    dropsBefore = drops.get();
                    server.signal("CONT");
                }
                Eventually.until(feed::live, DEADLINE, () -> "the feed never subscribed again");
                assertTrue(drops.get() > dropsBefore, "subscribed again without dropping the near tier");
            } finally {
                feed.close();
            }
        }
    }
}
