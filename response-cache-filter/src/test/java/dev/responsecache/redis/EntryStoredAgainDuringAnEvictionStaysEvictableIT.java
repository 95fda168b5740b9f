package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.RedisClusterProcesses;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * On a Cluster an eviction deletes the entries it read from a tag's set, waits for the deletes, then unindexes them.
 * A miss that stores the same key in between (its mark taken after the eviction began, so rightly stored) was
 * unindexed by that eviction's {@code ZREM} by member: the next eviction of the tag did not find it, and every
 * instance went on answering the entry that eviction condemned. The store is made here, by hand, at exactly that
 * point of the eviction, against a real Cluster.
 */
class EntryStoredAgainDuringAnEvictionStaysEvictableIT {

    private static RedisClusterProcesses cluster;
    private static JedisCluster client;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.started();
        Set<HostAndPort> seeds = Arrays.stream(cluster.seeds().split(",")).map(HostAndPort::from)
                .collect(Collectors.toSet());
        client = new JedisCluster(seeds, DefaultJedisClientConfig.builder().user(RedisClusterProcesses.USER)
                .password(RedisClusterProcesses.PASSWORD).build());
    }

    @AfterAll
    static void stopCluster() {
        client.close();
        cluster.close();
    }

    @Test
    void entryStoredAgainBetweenAnEvictionsDeletesAndItsUnindexingIsFoundByTheNextEviction() {
        String prefix = RedisApps.uniquePrefix();
        byte[] key = (prefix + "v3:k2:{entry}").getBytes(StandardCharsets.UTF_8);
        Set<String> tags = Set.of("product:1");
        RedisTagIndex writer = new RedisTagIndex(client, prefix);
        assertTrue(writer.put(key, "old price".getBytes(StandardCharsets.UTF_8), null, tags, writer.mark(), 0,
                600_000));

        boolean[] storedAgain = new boolean[1];
        RedisTagIndex evictor = new RedisTagIndex(client, prefix, () -> {
            // A miss marked after the eviction began stores the same key once the eviction's DEL has run.
            if (!storedAgain[0]) {
                storedAgain[0] = writer.put(key, "new price".getBytes(StandardCharsets.UTF_8), null, tags,
                        writer.mark(), 0, 600_000);
            }
        });
        assertEquals(1, evictor.evict(tags));
        assertTrue(storedAgain[0], "the miss marked after the eviction began is stored");
        assertNotNull(client.get(key));

        assertEquals(1, new RedisTagIndex(client, prefix).evict(tags), "the next eviction of the tag finds it");
        assertNull(client.get(key), "and deletes it");
    }

    /**
     * The members leave the tag's set when the eviction reads them: an eviction that fails before unindexing them
     * leaves them in its pending set, listed beside the tag, and the next eviction of the tag deletes what it names
     * (here an entry whose DEL the failure lost, written back by hand) and drops the pending set.
     */
    @Test
    void evictionThatFailedBeforeUnindexingLeavesItsMembersToTheNextEviction() {
        String prefix = RedisApps.uniquePrefix();
        byte[] key = (prefix + "v3:k2:{failed}").getBytes(StandardCharsets.UTF_8);
        Set<String> tags = Set.of("product:2");
        RedisTagIndex writer = new RedisTagIndex(client, prefix);
        assertTrue(writer.put(key, "old price".getBytes(StandardCharsets.UTF_8), null, tags, writer.mark(), 0,
                600_000));
        RedisTagIndex failing = new RedisTagIndex(client, prefix, () -> {
            throw new JedisConnectionException("connection lost after the DELs");
        });
        assertThrows(JedisConnectionException.class, () -> failing.evict(tags));
        client.set(key, "old price".getBytes(StandardCharsets.UTF_8));
        String pendingList = prefix + "k2:q:{" + RedisKeys.digest("product:2") + "}";
        assertEquals(1, client.scard(pendingList), "the failed eviction's pending set is listed");

        assertEquals(1, new RedisTagIndex(client, prefix).evict(tags));
        assertNull(client.get(key));
        assertFalse(client.exists(pendingList), "every pending set of the tag is empty and forgotten");
    }
}
