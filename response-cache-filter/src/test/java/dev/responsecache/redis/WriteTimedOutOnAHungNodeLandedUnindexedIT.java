package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisClusterProcesses;
import dev.responsecache.testing.RedisProcess;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;

/**
 * On a Cluster a tagged store writes the entry alone, waits for the reply, then indexes it under its tags. When the
 * entry's node hung (SIGSTOP: it takes connections and their bytes into its kernel buffers and answers nothing) the
 * write timed out, the writer gave up and its compensating {@code DEL} failed too; once the node ran again it read the
 * write from the buffers of a connection the writer had long closed and stored the entry, which no tag set named: an
 * eviction of its tag did not delete it, and it was served until its ttl. Expected: the node refuses a write it takes
 * after its writer gave up (its window, read on the node's clock in the store's first round trip, is past), so the
 * entry is never stored and nothing is left for an eviction to miss.
 *
 * <p>Nothing is timed: the stopped node itself counts what it ran once it runs again.
 */
class WriteTimedOutOnAHungNodeLandedUnindexedIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    /** Patient, so that only the stopped node times out on a loaded machine. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    private static final Set<String> TAGS = Set.of("", "product:7");

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
    void writeItsNodeTookAfterTheWriterGaveUpIsRefusedSoTheTagsEvictionLeavesNothingServed() {
        // Not the first seed, which the client's map reads ask first.
        RedisProcess victim = cluster.primaries().get(2);
        Set<HostAndPort> seeds = Arrays.stream(cluster.seeds().split(",")).map(HostAndPort::from)
                .collect(Collectors.toSet());
        try (Jedis direct = victim.client();
             JedisCluster client = new JedisCluster(seeds, DefaultJedisClientConfig.builder()
                     .user(RedisClusterProcesses.USER).password(RedisClusterProcesses.PASSWORD)
                     .socketTimeoutMillis((int) READ_TIMEOUT.toMillis()).build(), 1, READ_TIMEOUT)) {
            // The counter, its floor and the tags' keys elsewhere: only the entry's write meets the stopped node.
            String prefix;
            do {
                prefix = RedisApps.uniquePrefix();
            } while (anyServedBy(direct, prefix));
            byte[] key = null;
            for (int i = 0; key == null; i++) {
                byte[] candidate = new RedisKeys(prefix).of("GET /late/" + i);
                if (servedBy(direct, new String(candidate, StandardCharsets.UTF_8))) {
                    key = candidate;
                }
            }
            RedisTagIndex writer = new RedisTagIndex(client, prefix, READ_TIMEOUT.toMillis(), () -> { },
                    () -> victim.signal("STOP"));
            long mark = writer.mark();
            long evalsBefore = calls(direct, "eval");
            long setsBefore = calls(direct, "set");

            byte[] storedKey = key;
            try {
                // The first round trip reads the entry's node's clock; the node stops before the write is sent.
                assertThrows(JedisException.class, () -> writer.put(storedKey,
                        "old price".getBytes(StandardCharsets.UTF_8), null, TAGS, mark, 0, 600_000));
            } finally {
                victim.signal("CONT");
            }
            // The clock's script before the stop, the write's once the node runs again (from its kernel's buffers).
            Eventually.until(() -> calls(direct, "eval") >= evalsBefore + 2, DEADLINE,
                    () -> "the stopped node never ran the write it was sent");
            // A command of ours after whatever the node's kernel held for it.
            direct.ping();
            new RedisTagIndex(client, prefix).evict(Set.of("product:7"));
            assertNull(client.get(storedKey), "the entry is served after its tag's eviction");
            assertEquals(setsBefore, calls(direct, "set"), "the node stored the write its writer gave up on");
            assertFalse(direct.exists(storedKey));
            RedisTagIndex later = new RedisTagIndex(client, prefix, READ_TIMEOUT.toMillis(), () -> { }, () -> { });
            assertTrue(later.put(storedKey, "new price".getBytes(StandardCharsets.UTF_8), null, TAGS, later.mark(), 0,
                    600_000), "a store on the running node is stored");
        }
    }

    /** Whether the stopped node would hold the counter, its floor or a key of one of the tags. */
    private static boolean anyServedBy(Jedis direct, String prefix) {
        if (servedBy(direct, RedisTagIndex.counter(prefix)) || servedBy(direct, prefix + "epoch:floor")) {
            return true;
        }
        for (String tag : TAGS) {
            if (servedBy(direct, prefix + "k" + RedisKeys.LAYOUT + ":t:{" + RedisKeys.digest(tag) + "}")) {
                return true;
            }
        }
        return false;
    }

    /** Calls of {@code command} the node ran, scripts' own included. */
    private static long calls(Jedis direct, String command) {
        Matcher matcher = Pattern.compile("cmdstat_" + command + ":calls=(\\d+)").matcher(direct.info("commandstats"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
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
}
