package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisClusterProcesses;
import dev.responsecache.testing.RedisProcess;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Hits on a Redis Cluster read through one pipelined connection per primary, chosen by the key's slot; when the slot
 * map is wrong (a slot migrated, a primary replaced) the node's {@code ASK} or {@code MOVED} sends the read to Jedis's
 * Cluster client, which answers the right value and reads the map again, and the connection to a node that no longer
 * serves any slot is closed. Reads are counted where they fall back on the Cluster client's pools; the map is read
 * again only on redirections (no periodic refresh), so each fallback is the test's doing. The last test replaces a
 * primary for good.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterPipelinedReadsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static RedisClusterProcesses cluster;
    private final String prefix = RedisApps.uniquePrefix();

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.started();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    @Order(1)
    void hitsReadThroughOnePipelinedConnectionPerPrimaryNotThePools() {
        try (CountedReads counted = new CountedReads()) {
            // Enough keys that every primary serves some (all on two of three: (2/3)^60 per pair).
            for (int i = 0; i < 60; i++) {
                counted.jedis.set(key("a" + i), bytes("value " + i));
            }
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 60; i++) {
                    assertArrayEquals(bytes("value " + i), counted.reads.get(key("a" + i), null));
                }
            }
            assertEquals(0, counted.pooled.get(), "every read went through a pipelined connection");
            for (RedisProcess primary : cluster.primaries()) {
                assertEquals(1, SentinelPipelinedReadsIT.readerThreads(primary.port()), "one per primary");
            }
        }
    }

    /**
     * The store wired as an application gets it: a pipelined connection per primary, closed with the store. One of
     * them cut by its node (a client killed) while no read was owed: nothing is a miss or a fault, and the next hits
     * on that node make it again.
     */
    @Test
    @Order(2)
    void storeHitsReadThroughPipelinedConnectionsToEveryPrimaryMadeAgainWhenCutAndClosedWithTheStore() {
        RedisStore store = RedisConnections.open(settings(), Clock.systemUTC(), System::nanoTime);
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            for (int i = 0; i < 60; i++) {
                store.put(entry("GET /pages/" + i));
            }
            for (int i = 0; i < 60; i++) {
                assertNotNull(store.get("GET /pages/" + i));
            }
            for (RedisProcess primary : cluster.primaries()) {
                assertEquals(1, SentinelPipelinedReadsIT.readerThreads(primary.port()));
            }

            RedisProcess cut = cluster.primaries().get(1);
            try (Jedis admin = cut.client()) {
                for (String line : admin.clientList().lines().toList()) {
                    if (line.contains(" name=response-cache ") && line.contains(" cmd=get ")) {
                        admin.sendCommand(Protocol.Command.CLIENT, "KILL", "ID",
                                line.substring("id=".length(), line.indexOf(' ')));
                    }
                }
            }
            Eventually.until(() -> SentinelPipelinedReadsIT.readerThreads(cut.port()) == 0, DEADLINE,
                    () -> "the reader never saw its connection closed");
            for (int i = 0; i < 60; i++) {
                assertNotNull(store.get("GET /pages/" + i), "hits again");
            }
            assertEquals(1, SentinelPipelinedReadsIT.readerThreads(cut.port()), "on a new pipelined connection");
            assertEquals(Map.of(StoreFaults.TIMEOUT, 0L, StoreFaults.CONNECTION, 0L, StoreFaults.ERROR_REPLY, 0L,
                    StoreFaults.UNUSABLE_VALUE, 0L, StoreFaults.POOL_BUSY, 0L), store.faultCounts());
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING));
        } finally {
            store.close();
        }
        for (RedisProcess primary : cluster.primaries()) {
            Eventually.until(() -> SentinelPipelinedReadsIT.readerThreads(primary.port()) == 0, DEADLINE,
                    () -> "a reader thread outlived the store");
        }
    }

    /**
     * A key's slot migrated to another primary while the client's map still names the first: during the migration the
     * first answers {@code ASK}, after it {@code MOVED}; both reads answer the value the new owner holds (written there
     * alone), through the Cluster client, and the read after the {@code MOVED} goes through a pipelined connection to
     * the new owner.
     */
    @Test
    @Order(3)
    void readOfAMigratedSlotAnswersTheNewOwnersValueThroughTheFallbackThenPipelinesThere() {
        try (CountedReads counted = new CountedReads()) {
            byte[] key = key("migrated");
            int slot = JedisClusterCRC16.getSlot(key);
            counted.jedis.set(key, bytes("before"));
            assertArrayEquals(bytes("before"), counted.reads.get(key, null));
            RedisProcess source = owner(counted, slot);
            RedisProcess target = cluster.primaries().stream().filter(node -> node != source).findFirst()
                    .orElseThrow();

            try (Jedis from = source.client(); Jedis to = target.client()) {
                String sourceId = from.clusterMyId();
                String targetId = to.clusterMyId();
                to.clusterSetSlotImporting(slot, sourceId);
                from.clusterSetSlotMigrating(slot, targetId);
                from.migrate("127.0.0.1", target.port(), key, 0, 10_000);
                to.sendCommand(Protocol.Command.ASKING);
                to.set(key, bytes("asked"));

                assertArrayEquals(bytes("asked"), counted.reads.get(key, null), "ASK followed");
                assertEquals(1, counted.pooled.get(), "through the Cluster client");

                // The new owner first, then the old, then the third primary: every map read from now on agrees.
                to.clusterSetSlotNode(slot, targetId);
                from.clusterSetSlotNode(slot, targetId);
                for (RedisProcess primary : cluster.primaries()) {
                    if (primary != source && primary != target) {
                        try (Jedis node = primary.client()) {
                            node.clusterSetSlotNode(slot, targetId);
                        }
                    }
                }
                to.set(key, bytes("moved"));
            }
            assertArrayEquals(bytes("moved"), counted.reads.get(key, null), "MOVED followed");
            assertEquals(2, counted.pooled.get(), "through the Cluster client, which read the map again");
            assertEquals(target.port(), counted.provider.getNode(slot).getPort());

            assertArrayEquals(bytes("moved"), counted.reads.get(key, null));
            assertEquals(2, counted.pooled.get(), "pipelined to the new owner");
        }
    }

    /**
     * A primary replaced by its replica (a manual failover: the old one lives on as a replica): the read that reaches
     * it is redirected, answers the right value and has the map read again; the sweep after that closes the
     * connection to the old primary, which no longer serves any slot.
     */
    @Test
    @Order(4)
    void connectionToAPrimaryThatLeftTheSlotMapIsClosedAndReadsGoToItsSuccessor() {
        try (CountedReads counted = new CountedReads()) {
            byte[] key = key("failed-over");
            int slot = JedisClusterCRC16.getSlot(key);
            counted.jedis.set(key, bytes("kept"));
            assertArrayEquals(bytes("kept"), counted.reads.get(key, null));
            RedisProcess old = owner(counted, slot);
            RedisProcess successor = cluster.replicaOf(old);
            assertEquals(1, SentinelPipelinedReadsIT.readerThreads(old.port()));

            try (Jedis replica = successor.client()) {
                replica.clusterFailover();
            }
            Eventually.until(() -> RedisClusterProcesses.isPrimary(successor) && !RedisClusterProcesses.isPrimary(old),
                    DEADLINE, () -> "the replica never took over");

            assertArrayEquals(bytes("kept"), counted.reads.get(key, null), "redirected to the successor");
            assertEquals(1, counted.pooled.get());
            assertEquals(successor.port(), counted.provider.getNode(slot).getPort(), "the map was read again");

            counted.jumped.addAndGet(RedisConnections.TOPOLOGY_REFRESH.toNanos());
            assertArrayEquals(bytes("kept"), counted.reads.get(key, null));
            assertEquals(1, counted.pooled.get(), "pipelined to the successor");
            Eventually.until(() -> SentinelPipelinedReadsIT.readerThreads(old.port()) == 0, DEADLINE,
                    () -> "the connection to the former primary was never closed");
            assertEquals(1, SentinelPipelinedReadsIT.readerThreads(successor.port()));
        }
    }

    private static RedisProcess owner(CountedReads counted, int slot) {
        HostAndPort node = counted.provider.getNode(slot);
        return cluster.primaries().stream().filter(primary -> primary.port() == node.getPort()).findFirst()
                .orElseGet(() -> cluster.primaries().stream()
                        .map(cluster::replicaOf).filter(replica -> replica.port() == node.getPort())
                        .findFirst().orElseThrow());
    }

    /**
     * The pipelined reads as the store builds them, on a slot map read again only on redirections, with a count of
     * the reads that went through the Cluster client instead and a clock the test moves (for the sweep).
     */
    private final class CountedReads implements AutoCloseable {

        final AtomicLong pooled = new AtomicLong();
        final AtomicLong jumped = new AtomicLong();
        final ClusterConnectionProvider provider;
        final JedisCluster jedis;
        final ClusterPipelinedReads reads;

        CountedReads() {
            RedisSettings settings = settings();
            RedisUri uri = settings.uri();
            JedisClientConfig client = RedisConnections.clientConfig(settings, uri.user(), uri.password(), 0);
            provider = new ClusterConnectionProvider(RedisConnections.addresses(settings.topology()), client,
                    RedisConnections.poolConfig(settings));
            jedis = new JedisCluster(provider, RedisConnections.CLUSTER_ATTEMPTS, Duration.ofSeconds(60));
            reads = new ClusterPipelinedReads(provider, client, settings.readTimeout(), key -> {
                pooled.incrementAndGet();
                return jedis.get(key);
            }, () -> System.nanoTime() + jumped.get(), RedisConnections.TOPOLOGY_REFRESH);
        }

        @Override
        public void close() {
            reads.close();
            jedis.close();
        }
    }

    private RedisSettings settings() {
        Map<String, String> properties = Map.of(
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisClusterProcesses.USER + ":"
                        + RedisClusterProcesses.PASSWORD + "@" + cluster.seeds(),
                ResponseCacheProperties.REDIS_TOPOLOGY, "cluster",
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                // Patient: on a loaded machine only a Redis that does not answer may make a read miss.
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "20s");
        return RedisSettings.from(new PropertyValues(properties::get));
    }

    private byte[] key(String name) {
        return bytes(prefix + name);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static CacheEntry entry(String key) {
        long now = System.currentTimeMillis();
        return new CacheEntry(key, 200, List.of(new Header("Content-Type", "text/plain")),
                key.getBytes(StandardCharsets.UTF_8), now, now + 3_600_000, List.of());
    }
}
