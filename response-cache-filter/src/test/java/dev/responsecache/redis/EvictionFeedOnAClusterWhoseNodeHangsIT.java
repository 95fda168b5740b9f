package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisClusterProcesses;
import dev.responsecache.testing.RedisProcess;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;

/**
 * The near tier's eviction feed on a Redis Cluster, wired as the store wires it (subscribed on whichever primary
 * Jedis's Cluster provider lends a connection to), when the node it subscribed on hangs (SIGSTOP: connections open
 * and silent). Coherence first: once the feed's {@code PING} goes unanswered for {@code PONG_WAIT} the feed is not
 * live (the near tier is dropped and bypassed); it then subscribes again, on a node that answers (each attempt
 * bounded: the provider pings a node before lending its connection, and an unanswered {@code SUBSCRIBE} is given up),
 * where it hears evictions published on the others; and it stays so once the node runs again. Time is the store's
 * monotonic source, moved by the test.
 */
class EvictionFeedOnAClusterWhoseNodeHangsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** How long the test waits for a subscription before it takes the attempt for one made on the hung node. */
    private static final Duration ATTEMPT_WAIT = Duration.ofSeconds(5);

    private static RedisClusterProcesses cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.started();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void feedStopsBeingLiveWhenItsNodeHangsThenSubscribesWhereEvictionsAreHeard() {
        for (RedisProcess primary : cluster.primaries()) {
            for (RedisProcess node : List.of(primary, cluster.replicaOf(primary))) {
                try (Jedis jedis = node.client()) {
                    // The others go on serving while a primary is stopped, and nobody takes over.
                    jedis.configSet("cluster-require-full-coverage", "no");
                    jedis.configSet("cluster-replica-no-failover", "yes");
                }
            }
        }
        String prefix = RedisApps.uniquePrefix();
        String channel = prefix + "evictions";
        // The feed's time moves only when the test moves it: on real time plus the test's jumps, a PING the feed's
        // own thread sent while the test stalled after stopping the node was judged overdue by the test's first jump.
        long start = System.nanoTime();
        AtomicLong jumped = new AtomicLong();
        AtomicInteger drops = new AtomicInteger();
        RedisStore store = RedisConnections.open(settings(prefix), Clock.systemUTC(), () -> start + jumped.get());
        RedisEvictionFeed feed = (RedisEvictionFeed) store.evictionFeed();
        try {
            feed.listen(drops::incrementAndGet);
            Eventually.until(feed::live, DEADLINE, () -> "the feed never subscribed");
            RedisProcess hung = subscribedOn(channel, null);
            RedisProcess other = cluster.primaries().stream().filter(node -> node != hung).findFirst().orElseThrow();

            hung.signal("STOP");
            try {
                // Silent past the ping interval: at its deadline the feed sends a PING (check() is what the feed's
                // thread runs then), and is live until the pong is overdue.
                jumped.addAndGet(RedisEvictionFeed.PING_AFTER.toNanos());
                feed.check();
                assertTrue(feed.live(), "live while its PING is awaited");
                int dropsBefore = drops.get();
                jumped.addAndGet(RedisEvictionFeed.PONG_WAIT.toNanos());
                feed.check();
                assertFalse(feed.live(), "live though its node hangs");
                assertTrue(drops.get() > dropsBefore, "the near tier kept what it held");

                // Subscribed again on a node that answers, while the hung one is still stopped. An attempt made on the
                // hung node is given up once unanswered for PONG_WAIT: the test moves the clock that far whenever no
                // subscription came for a while, never while the feed is live.
                Eventually.until(() -> {
                    if (Eventually.within(feed::live, ATTEMPT_WAIT)) {
                        return true;
                    }
                    jumped.addAndGet(RedisEvictionFeed.PONG_WAIT.toNanos());
                    return false;
                }, DEADLINE, () -> "the feed never subscribed again while a node hung, after " + feed.attempts()
                        + " attempts");
                subscribedOn(channel, hung);
                heardThrough(other, channel, feed, drops);
            } finally {
                hung.signal("CONT");
            }
            // The node back: the feed stays live and hears evictions published on it too.
            heardThrough(hung, channel, feed, drops);
        } finally {
            store.close();
        }
    }

    /** An eviction published on {@code node} reaches the feed (a Cluster forwards it to every node). */
    private static void heardThrough(RedisProcess node, String channel, RedisEvictionFeed feed, AtomicInteger drops) {
        int before = drops.get();
        Eventually.until(() -> {
            try (Jedis jedis = node.client()) {
                jedis.publish(channel, "evicted");
            }
            return drops.get() > before;
        }, DEADLINE, () -> "an eviction published on " + node.port() + " never reached the feed");
        assertTrue(feed.live());
    }

    /** The one primary the feed's subscription is on, {@code stopped} (which cannot tell) aside. */
    private static RedisProcess subscribedOn(String channel, RedisProcess stopped) {
        List<RedisProcess> on = cluster.primaries().stream().filter(node -> node != stopped).filter(node -> {
            try (Jedis jedis = node.client()) {
                return jedis.pubsubNumSub(channel).getOrDefault(channel, 0L) > 0;
            }
        }).toList();
        assertEquals(1, on.size(), "the feed's subscription on one primary");
        return on.get(0);
    }

    private static RedisSettings settings(String prefix) {
        Map<String, String> properties = Map.of(
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisClusterProcesses.USER + ":"
                        + RedisClusterProcesses.PASSWORD + "@" + cluster.seeds(),
                ResponseCacheProperties.REDIS_TOPOLOGY, "cluster",
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                ResponseCacheProperties.REDIS_COOL_DOWN, "200ms",
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "1s");
        return RedisSettings.from(new PropertyValues(properties::get));
    }
}
