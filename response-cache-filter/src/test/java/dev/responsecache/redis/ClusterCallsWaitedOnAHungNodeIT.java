package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisClusterProcesses;
import dev.responsecache.testing.RedisProcess;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * Calls on a Redis Cluster that waited on a node that hangs.
 *
 * <p>A Cluster command whose node hangs (SIGSTOP: the node takes connections and their bytes into its kernel buffers
 * and answers nothing) was tried twice by Jedis, each attempt waiting out the read timeout (the second on a new
 * connection, its login too), and after the second Jedis read the slot map on the same thread: one cache call on a
 * hung node took two read timeouts and more, past the bound the store gives the cache for a call
 * ({@code store-budget}), and a request made several such calls. Expected: one attempt, then the call fails (a write
 * given up, a mark read as "unknown", so the request is served uncached); the slot map is never read on the caller's
 * thread.
 *
 * <p>Nothing is timed: the hung node itself counts what it was sent once it runs again (it then reads the bytes its
 * kernel took meanwhile, from connections the store has since closed): one command, or one login on a new connection,
 * per call. The first seed is a healthy node, so Jedis's periodic map read never connects to the hung one.
 *
 * <p>And an eviction's {@code PUBLISH}, a command with no key, went to whichever primary answered a {@code PING}
 * first, tried in a random order on the evicting request's thread: a hung primary the eviction has nothing to do with
 * cost it a read timeout (a new connection's login, or a pooled connection's {@code PING}) about one time in three.
 * Expected: it is sent to the node the eviction itself used (the eviction counter's), and the hung node is sent
 * nothing.
 */
class ClusterCallsWaitedOnAHungNodeIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** Patient, so that only the stopped node times out on a loaded machine. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    private static final Pattern CALLS = Pattern.compile("cmdstat_(set|get|auth):calls=(\\d+)");
    private static final Pattern PINGS = Pattern.compile("cmdstat_(ping|publish|auth):calls=(\\d+)");

    private static RedisClusterProcesses cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.started();
        for (RedisProcess primary : cluster.primaries()) {
            for (RedisProcess node : List.of(primary, cluster.replicaOf(primary))) {
                try (Jedis jedis = node.client()) {
                    // The others go on serving their slots while a primary is stopped, and nobody takes over.
                    jedis.configSet("cluster-require-full-coverage", "no");
                    jedis.configSet("cluster-replica-no-failover", "yes");
                }
            }
        }
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void writeAndMarkOnAHungNodeAreEachOneAttemptThenServedUncached() throws Exception {
        // Not the first seed, which Jedis's periodic map read asks first.
        RedisProcess victim = cluster.primaries().get(2);
        String prefix;
        try (Jedis direct = victim.client()) {
            // A prefix whose eviction counter (the mark every miss reads) is on the victim.
            do {
                prefix = RedisApps.uniquePrefix();
            } while (!servedBy(direct, prefix + "epoch"));
        }
        RedisKeys keys = new RedisKeys(prefix);
        RedisStore store = RedisConnections.open(settings(prefix), Clock.systemUTC(), System::nanoTime);
        try (Jedis direct = victim.client()) {
            List<String> onVictim = new ArrayList<>();
            for (int i = 0; onVictim.size() < 2; i++) {
                String key = "GET /hung/" + i;
                if (servedBy(direct, new String(keys.of(key), StandardCharsets.UTF_8))) {
                    onVictim.add(key);
                }
            }
            // A pooled connection to the victim, idle: the write below is sent on it.
            store.put(entry(onVictim.get(0)));
            assertNotNull(store.get(onVictim.get(0)));
            assertTrue(store.invalidationMark() > Long.MIN_VALUE, "the counter is readable");
            long sentBefore = sent(direct);

            String write = onVictim.get(1);
            CompletableFuture<Long> calls = new CompletableFuture<>();
            victim.signal("STOP");
            try {
                Thread caller = new Thread(() -> {
                    store.put(entry(write));
                    calls.complete(store.invalidationMark());
                }, "request-on-a-hung-node");
                caller.setDaemon(true);
                caller.start();
                Eventually.until(calls::isDone, DEADLINE, () -> "the calls waited on the hung node for good");
            } finally {
                victim.signal("CONT");
            }
            // One command each (a SET, a GET), or one login (AUTH) on a new connection where the pool had no idle
            // one: read by the victim once it runs again, before a command sent after them on a connection of ours.
            Eventually.until(() -> sent(direct) >= sentBefore + 2, DEADLINE,
                    () -> "the victim never read what it was sent");
            direct.ping();
            assertEquals(sentBefore + 2, sent(direct), "one attempt per call, none on a new connection after it");
            assertEquals(Long.MIN_VALUE, calls.get(), "the mark unknown: the request is served uncached");
            // Counted as what they were: a read timeout each (Jedis's deadline exception carries it as its cause).
            Map<String, Long> faults = store.faultCounts();
            assertEquals(2L, faults.get(StoreFaults.TIMEOUT), faults::toString);
            assertEquals(0L, faults.get(StoreFaults.CONNECTION), faults::toString);
        } finally {
            store.close();
        }
    }

    @Test
    void evictionsPublishNothingThroughAHungPrimaryTheyDoNotTouch() throws Exception {
        RedisProcess victim = cluster.primaries().get(2);
        String prefix;
        String tag = null;
        try (Jedis direct = victim.client()) {
            // The counter and the tag's keys elsewhere: the evictions have nothing to do with the victim.
            do {
                prefix = RedisApps.uniquePrefix();
            } while (servedBy(direct, RedisTagIndex.counter(prefix)));
            for (int i = 0; tag == null; i++) {
                if (!servedBy(direct, prefix + "k" + RedisKeys.LAYOUT + ":t:{" + RedisKeys.digest("tag" + i) + "}")) {
                    tag = "tag" + i;
                }
            }
        }
        Set<String> evicted = Set.of(tag);
        RedisStore store = RedisConnections.open(settings(prefix), Clock.systemUTC(), System::nanoTime);
        try (Jedis direct = victim.client()) {
            store.evict(evicted);
            // Ten evictions: a random pick of three primaries would meet the victim first with 1 - (2/3)^10 = 98%.
            long sentBefore = sent(direct, PINGS);
            CompletableFuture<Void> evictions = new CompletableFuture<>();
            victim.signal("STOP");
            try {
                Thread evicting = new Thread(() -> {
                    try {
                        for (int i = 0; i < 10; i++) {
                            store.evict(evicted);
                        }
                        evictions.complete(null);
                    } catch (RuntimeException e) {
                        evictions.completeExceptionally(e);
                    }
                }, "evictions-beside-a-hung-node");
                evicting.setDaemon(true);
                evicting.start();
                Eventually.until(evictions::isDone, DEADLINE, () -> "the evictions waited on the hung node for good");
            } finally {
                victim.signal("CONT");
            }
            evictions.get();
            // A command of ours after whatever the victim's kernel held for it.
            direct.dbSize();
            assertEquals(sentBefore, sent(direct, PINGS), "the evictions sent the hung node a PING, PUBLISH or login");
        } finally {
            store.close();
        }
    }

    /** Commands the node ran among {@code counted}, the test's own connection's included. */
    private static long sent(Jedis direct, Pattern counted) {
        long calls = 0;
        Matcher matcher = counted.matcher(direct.info("commandstats"));
        while (matcher.find()) {
            calls += Long.parseLong(matcher.group(2));
        }
        return calls;
    }

    /** SETs, GETs and logins the node ran, the test's own connection's included. */
    private static long sent(Jedis direct) {
        return sent(direct, CALLS);
    }

    /** Whether the node behind {@code direct} serves {@code key}'s slot (another node's slot: a MOVED reply). */
    private static boolean servedBy(Jedis direct, String key) {
        try {
            direct.exists(key);
            return true;
        } catch (JedisMovedDataException elsewhere) {
            return false;
        }
    }

    private static RedisSettings settings(String prefix) {
        Map<String, String> properties = Map.of(
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisClusterProcesses.USER + ":"
                        + RedisClusterProcesses.PASSWORD + "@" + cluster.seeds(),
                ResponseCacheProperties.REDIS_TOPOLOGY, "cluster",
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                ResponseCacheProperties.REDIS_READ_TIMEOUT, READ_TIMEOUT.toMillis() + "ms");
        return RedisSettings.from(new PropertyValues(properties::get));
    }

    private static CacheEntry entry(String key) {
        long now = System.currentTimeMillis();
        return new CacheEntry(key, 200, List.of(new Header("Content-Type", "text/plain")),
                key.getBytes(StandardCharsets.UTF_8), now, now + 3_600_000, List.of());
    }
}
