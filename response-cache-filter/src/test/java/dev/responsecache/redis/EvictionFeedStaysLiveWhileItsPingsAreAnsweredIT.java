package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * The other side of {@link NearTierAnswersWhileTheFeedsServerHangsIT}: a subscription whose server answers its pings
 * stays live however far the clock moves, and its near tier is not dropped.
 */
class EvictionFeedStaysLiveWhileItsPingsAreAnsweredIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static RedisProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RedisProcess.plain(Files.createTempDirectory("redis-answered-feed"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void subscriptionAnsweringEveryPingStaysLiveAndKeepsItsNearTier() {
        // The feed's time moves only when the test moves it: its own thread, waking on real time, then finds a PING
        // due only after the test's jumps, never in between (a PING it sent while the test stalled would be judged
        // overdue by the next jump).
        long start = System.nanoTime();
        AtomicLong jumped = new AtomicLong();
        AtomicInteger drops = new AtomicInteger();
        PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort("127.0.0.1", server.port()));
        try (UnifiedJedis redis = new UnifiedJedis(provider)) {
            RedisEvictionFeed feed = new RedisEvictionFeed(redis, provider::getConnection, RedisApps.uniquePrefix(),
                    Duration.ofMillis(200), "127.0.0.1:" + server.port(), () -> { },
                    () -> start + jumped.get());
            feed.listen(drops::incrementAndGet);
            try {
                Eventually.until(feed::live, DEADLINE, () -> "the feed never subscribed");
                int dropsWhenSubscribed = drops.get();
                for (int ping = 0; ping < 5; ping++) {
                    // check() is what the feed's thread runs at each deadline: here, a PING is due.
                    jumped.addAndGet(RedisEvictionFeed.PING_AFTER.toNanos());
                    feed.check();
                    assertTrue(feed.live(), "live while its PING is awaited");
                    Eventually.until(() -> !feed.awaitingPong(), DEADLINE, () -> "the PING was never answered");
                    // Far past the pong wait: the answered PING keeps it live, and the next question pings again.
                    jumped.addAndGet(RedisEvictionFeed.PONG_WAIT.multipliedBy(10).toNanos());
                    feed.check();
                    assertTrue(feed.live(), "live after its PING was answered");
                    Eventually.until(() -> !feed.awaitingPong(), DEADLINE, () -> "the PING was never answered");
                }
                assertEquals(dropsWhenSubscribed, drops.get(), "the near tier was dropped while pings were answered");
            } finally {
                feed.close();
            }
        }
    }
}
