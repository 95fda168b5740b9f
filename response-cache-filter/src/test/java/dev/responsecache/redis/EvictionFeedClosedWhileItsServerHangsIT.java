package dev.responsecache.redis;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/**
 * Jedis reads a subscription's connection with no timeout, and a node that hangs never answers the {@code UNSUBSCRIBE}
 * that closing sends: the subscribing thread would wait for good, holding the application's class loader after a
 * redeploy (a container reports it as a thread the stopped application left). Closing ends it whatever the node does.
 */
class EvictionFeedClosedWhileItsServerHangsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String SUBSCRIBING_THREAD = "response-cache-eviction-feed";
    private static RedisProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RedisProcess.plain(Files.createTempDirectory("redis-closed-feed"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void closeEndsTheSubscribingThreadThoughItsServerHangs() {
        AtomicReference<Thread> subscribing = new AtomicReference<>();
        PooledConnectionProvider provider = new PooledConnectionProvider(new HostAndPort("127.0.0.1", server.port()));
        try (UnifiedJedis redis = new UnifiedJedis(provider)) {
            RedisEvictionFeed feed = new RedisEvictionFeed(redis, provider::getConnection, RedisApps.uniquePrefix(),
                    Duration.ofMillis(200), "127.0.0.1:" + server.port(), () -> { }, () -> {
                        // The feed's time source is read on its subscribing thread as each subscription is made.
                        if (Thread.currentThread().getName().equals(SUBSCRIBING_THREAD)) {
                            subscribing.compareAndSet(null, Thread.currentThread());
                        }
                        return System.nanoTime();
                    });
            feed.listen(() -> { });
            Eventually.until(feed::live, DEADLINE, () -> "the feed never subscribed");
            server.signal("STOP");
            try {
                feed.close();
                Eventually.until(() -> !subscribing.get().isAlive(), DEADLINE,
                        () -> "the subscribing thread outlived the feed's close");
            } finally {
                server.signal("CONT");
            }
        }
    }
}
