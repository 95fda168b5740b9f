package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A near hit reads only the feed's flag, and the feed's own thread is what clears it when the subscription falls
 * silent: once that thread has ended before the feed was closed, nothing would ever clear it, and a node that hangs
 * would leave the near tier answering evicted entries for good. So the feed is not live from then on, a subscription
 * made again included.
 */
class EvictionFeedWhosePingingThreadEndsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String PINGING_THREAD = "response-cache-eviction-feed-ping";
    private static RedisProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RedisProcess.plain(Files.createTempDirectory("redis-unpinged-feed"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** What the feed's time source throws on its pinging thread once armed: a fault that thread does not survive. */
    private static final class PingingThreadKilled extends Error {
        private static final long serialVersionUID = 1L;

        PingingThreadKilled() {
            super("the pinging thread's time source failed", null, false, false);
        }
    }

    /** The feed's time source: it notes the pinging thread, and throws on it once {@code armed}. */
    private static LongSupplier ticker(AtomicReference<Thread> pinging, AtomicBoolean armed) {
        return () -> {
            if (Thread.currentThread().getName().equals(PINGING_THREAD)) {
                pinging.compareAndSet(null, Thread.currentThread());
                if (armed.get()) {
                    throw new PingingThreadKilled();
                }
            }
            return System.nanoTime();
        };
    }

    @Test
    void feedIsNotLiveOnceItsPingingThreadDiesNorAfterItSubscribesAgain() {
        AtomicReference<Thread> pinging = new AtomicReference<>();
        AtomicBoolean armed = new AtomicBoolean();
        AtomicInteger drops = new AtomicInteger();
        PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort("127.0.0.1", server.port()));
        try (UnifiedJedis redis = new UnifiedJedis(provider)) {
            String prefix = RedisApps.uniquePrefix();
            RedisEvictionFeed feed = new RedisEvictionFeed(redis, provider::getConnection, prefix,
                    Duration.ofMillis(200), "127.0.0.1:" + server.port(), () -> { }, ticker(pinging, armed));
            feed.listen(drops::incrementAndGet);
            try {
                Eventually.until(feed::live, DEADLINE, () -> "the feed never subscribed");
                Eventually.until(() -> pinging.get() != null, DEADLINE, () -> "the pinging thread never ran");
                int dropsBefore = drops.get();

                armed.set(true);
                Eventually.until(() -> !pinging.get().isAlive(), DEADLINE, () -> "the pinging thread survived");
                assertFalse(feed.live(), "live though nothing judges its subscription any more");
                assertTrue(drops.get() > dropsBefore, "the near tier kept what it held");

                // The subscription lost and made again: still nothing judges it.
                long confirmedBefore = feed.confirmed();
                try (Jedis admin = server.client()) {
                    admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
                }
                Eventually.until(() -> feed.confirmed() > confirmedBefore, DEADLINE,
                        () -> "the feed never subscribed again");
                assertFalse(feed.live(), "live again with nothing judging its subscription");
            } finally {
                feed.close();
            }
        }
    }

    @Test
    void feedIsNotLiveOnceItsPingingThreadIsInterrupted() {
        AtomicReference<Thread> pinging = new AtomicReference<>();
        PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort("127.0.0.1", server.port()));
        try (UnifiedJedis redis = new UnifiedJedis(provider)) {
            RedisEvictionFeed feed = new RedisEvictionFeed(redis, provider::getConnection, RedisApps.uniquePrefix(),
                    Duration.ofMillis(200), "127.0.0.1:" + server.port(), () -> { },
                    ticker(pinging, new AtomicBoolean()));
            feed.listen(() -> { });
            try {
                Eventually.until(feed::live, DEADLINE, () -> "the feed never subscribed");
                Eventually.until(() -> pinging.get() != null, DEADLINE, () -> "the pinging thread never ran");

                pinging.get().interrupt();
                Eventually.until(() -> !pinging.get().isAlive(), DEADLINE, () -> "the pinging thread kept running");
                assertFalse(feed.live(), "live though nothing judges its subscription any more");
            } finally {
                feed.close();
            }
        }
    }
}
