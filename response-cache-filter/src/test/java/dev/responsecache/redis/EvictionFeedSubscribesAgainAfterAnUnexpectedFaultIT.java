package dev.responsecache.redis;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * A fault on the subscribing thread that is not one of Jedis's own (a runtime exception from a reply Jedis did not
 * expect, from the time source) ends that attempt like a lost connection: it is logged and tried again after the
 * cool-down, rather than ending the thread and leaving the near tier bypassed for good with nothing said.
 */
class EvictionFeedSubscribesAgainAfterAnUnexpectedFaultIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String SUBSCRIBING_THREAD = "response-cache-eviction-feed";
    private static RedisProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RedisProcess.plain(Files.createTempDirectory("redis-faulted-feed"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** A fault neither Jedis's nor an illegal state: what an unexpected bug anywhere below the feed would throw. */
    private static final class UnexpectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnexpectedFault() {
            super("the subscribing thread's time source failed", null, false, false);
        }
    }

    @Test
    void feedSubscribesAgainAfterAnUnexpectedFaultOnItsSubscribingThread() {
        AtomicBoolean faulted = new AtomicBoolean();
        PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort("127.0.0.1", server.port()));
        try (UnifiedJedis redis = new UnifiedJedis(provider)) {
            RedisEvictionFeed feed = new RedisEvictionFeed(redis, provider::getConnection, RedisApps.uniquePrefix(),
                    Duration.ofMillis(200), "127.0.0.1:" + server.port(), () -> { }, () -> {
                        // Read on the subscribing thread as its first subscription is made: it fails once.
                        if (Thread.currentThread().getName().equals(SUBSCRIBING_THREAD)
                                && faulted.compareAndSet(false, true)) {
                            throw new UnexpectedFault();
                        }
                        return System.nanoTime();
                    });
            feed.listen(() -> { });
            try {
                Eventually.until(feed::live, DEADLINE,
                        () -> "the feed never subscribed after the fault (attempts: " + feed.attempts() + ")");
            } finally {
                feed.close();
            }
        }
    }
}
