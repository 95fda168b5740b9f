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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.regex.Pattern;

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
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Hits on a Redis Cluster read through one pipelined connection per primary, chosen by the key's slot; when the slot
 * map is wrong (a slot migrated, a primary replaced) the node's {@code ASK} or {@code MOVED} sends the read to Jedis's
 * Cluster client, which answers the right value and reads the map again, and the connection to a node that no longer
 * serves any slot is closed. Reads are counted where they fall back on the Cluster client's pools; the map is read
 * again only on redirections (no periodic refresh), so each fallback is the test's doing. The last two tests change
 * the cluster for good (a primary replaced; another stopped a while, with the cluster told to go on without it).
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
            // Enough keys that every primary serves some: 60, and more while one serves none (under a random prefix
            // 60 keys fall all on two of the three now and then).
            List<String> names = namesOverEveryPrimary(60);
            for (String name : names) {
                counted.jedis.set(key(name), bytes("value " + name));
            }
            for (int round = 0; round < 3; round++) {
                for (String name : names) {
                    assertArrayEquals(bytes("value " + name), counted.reads.get(key(name), null));
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
            // Another key in the same slot (its hash tag is the first key's whole name), as the earlier tests' keys
            // sometimes are: the slot moves with every key in it.
            byte[] neighbour = bytes(prefix + "{" + prefix + "migrated}");
            assertEquals(slot, JedisClusterCRC16.getSlot(neighbour));
            counted.jedis.set(neighbour, bytes("moves too"));
            assertArrayEquals(bytes("before"), counted.reads.get(key, null));
            RedisProcess source = owner(counted, slot);
            RedisProcess target = cluster.primaries().stream().filter(node -> node != source).findFirst()
                    .orElseThrow();

            try (Jedis from = source.client(); Jedis to = target.client()) {
                String sourceId = from.clusterMyId();
                String targetId = to.clusterMyId();
                to.clusterSetSlotImporting(slot, sourceId);
                from.clusterSetSlotMigrating(slot, targetId);
                // Every key the source holds in the slot, as a resharding moves them: a node still holding one
                // refuses to give the slot away (the earlier tests' keys, their prefixes random, fall in it now and
                // then).
                for (String held : from.clusterGetKeysInSlot(slot, 1_000)) {
                    from.migrate("127.0.0.1", target.port(), held, 0, 10_000);
                }
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
            cluster.awaitSlotOwner(slot, target, DEADLINE);
            assertArrayEquals(bytes("moved"), counted.reads.get(key, null), "MOVED followed");
            assertEquals(2, counted.pooled.get(), "through the Cluster client, which has the map read again");
            Eventually.until(() -> counted.provider.getNode(slot).getPort() == target.port(), DEADLINE,
                    () -> "the map was never read again");

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

            cluster.failOver(successor, old, DEADLINE);

            assertArrayEquals(bytes("kept"), counted.reads.get(key, null), "redirected to the successor");
            assertEquals(1, counted.pooled.get());
            Eventually.until(() -> counted.provider.getNode(slot).getPort() == successor.port(), DEADLINE,
                    () -> "the map was never read again");

            counted.jumped.addAndGet(RedisConnections.TOPOLOGY_REFRESH.toNanos());
            assertArrayEquals(bytes("kept"), counted.reads.get(key, null));
            assertEquals(1, counted.pooled.get(), "pipelined to the successor");
            Eventually.until(() -> SentinelPipelinedReadsIT.readerThreads(old.port()) == 0, DEADLINE,
                    () -> "the connection to the former primary was never closed");
            assertEquals(1, SentinelPipelinedReadsIT.readerThreads(successor.port()));
        }
    }

    /**
     * A primary stopped (SIGSTOP: it takes connections but answers nothing, as a hung server): the hit waiting on its
     * pipelined connection misses once the store's own clock (the test's, moved by the test) says one read timeout
     * has passed since it asked, counted as a timeout, while hits on the other primaries go on through theirs. Once it
     * runs again, its hits resume. Its replica is told not to take over, and the others to serve their slots meanwhile.
     */
    @Test
    @Order(5)
    void stalledPrimaryTimesOutItsOwnHitsByTheStoresClockWhileTheOtherPrimariesHit() throws Exception {
        // A primary still served by the replica it was set up with (the test before replaced another).
        RedisProcess victim = cluster.primaries().stream()
                .filter(node -> RedisClusterProcesses.isPrimary(node)
                        && replicates(cluster.replicaOf(node), node.port()))
                .findFirst().orElseThrow();
        for (RedisProcess primary : cluster.primaries()) {
            for (RedisProcess node : List.of(primary, cluster.replicaOf(primary))) {
                try (Jedis jedis = node.client()) {
                    jedis.configSet("cluster-require-full-coverage", "no");
                }
            }
        }
        try (Jedis replica = cluster.replicaOf(victim).client()) {
            replica.configSet("cluster-replica-no-failover", "yes");
        }
        // The store's clock moves only when the test moves it, and its read timeout is patient: on real time plus the
        // test's jumps with 2 s, a stall that long failed the reads and writes of a running primary (the 60 set up
        // below, the other primaries' hit) and could end the stalled read before the test's own jump.
        long start = System.nanoTime();
        AtomicLong jumped = new AtomicLong();
        Duration timeout = Duration.ofSeconds(30);
        RedisStore store = RedisConnections.open(
                settings(Map.of(ResponseCacheProperties.REDIS_READ_TIMEOUT, timeout.toMillis() + "ms")),
                Clock.systemUTC(), () -> start + jumped.get());
        try {
            RedisKeys keys = new RedisKeys(prefix);
            String onVictim = null;
            String elsewhere = null;
            try (Jedis direct = victim.client()) {
                for (int i = 0; i < 60; i++) {
                    String key = "GET /stall/" + i;
                    store.put(entry(key));
                    assertNotNull(store.get(key));
                    if (servedBy(direct, keys.of(key))) {
                        onVictim = key;
                    } else {
                        elsewhere = key;
                    }
                }
            }
            assertNotNull(onVictim);
            assertNotNull(elsewhere);

            signal(victim, "STOP");
            try {
                String stalled = onVictim;
                CompletableFuture<CacheEntry> read = new CompletableFuture<>();
                Thread reader = new Thread(() -> read.complete(store.get(stalled)), "stalled-reader");
                reader.setDaemon(true);
                reader.start();
                Eventually.until(() -> LockSupport.getBlocker(reader)
                        instanceof PipelinedConnection, DEADLINE, () -> "the read never waited for its reply");
                // Only the store's clock moves the read's timeout, by one timeout: the read ends there.
                jumped.addAndGet(timeout.toNanos() + 1);
                LockSupport.unpark(reader);
                Eventually.until(read::isDone, DEADLINE, () -> "the read waited on past its read timeout");
                assertEquals(null, read.get(), "a miss");
                Map<String, Long> faults = store.faultCounts();
                assertEquals(1L, faults.get(StoreFaults.TIMEOUT), faults::toString);
                assertEquals(0L, faults.get(StoreFaults.CONNECTION), faults::toString);

                assertNotNull(store.get(elsewhere), "the other primaries' hits go on");
            } finally {
                signal(victim, "CONT");
            }
            String resumed = onVictim;
            Eventually.until(() -> {
                // Past any cool-down the breaker may have begun.
                jumped.addAndGet(Duration.ofHours(1).toNanos());
                return store.get(resumed) != null;
            }, DEADLINE, () -> "the stopped primary's hits never resumed");
        } finally {
            store.close();
        }
    }

    /**
     * Names {@code a0}, {@code a1}...: {@code count} of them, and as many more as it takes for every primary to serve
     * the key of one.
     */
    private List<String> namesOverEveryPrimary(int count) {
        List<Jedis> primaries = cluster.primaries().stream().map(RedisProcess::client).toList();
        try {
            List<String> names = new ArrayList<>();
            Set<Jedis> serving = new HashSet<>();
            for (int i = 0; names.size() < count || serving.size() < primaries.size(); i++) {
                String name = "a" + i;
                names.add(name);
                for (Jedis primary : primaries) {
                    try {
                        // Answered (whether the key exists or not) only by the primary that serves its slot.
                        primary.exists(key(name));
                        serving.add(primary);
                    } catch (JedisMovedDataException elsewhere) {
                        // Another primary's slot.
                    }
                }
            }
            return names;
        } finally {
            primaries.forEach(Jedis::close);
        }
    }

    /** Whether the node behind {@code direct} serves {@code key}'s slot (another node's slot: a MOVED reply). */
    private static boolean servedBy(Jedis direct, byte[] key) {
        try {
            return direct.exists(key);
        } catch (JedisMovedDataException elsewhere) {
            return false;
        }
    }

    private static boolean replicates(RedisProcess replica, int primaryPort) {
        try (Jedis jedis = replica.client()) {
            String info = jedis.info("replication");
            return info.contains("role:slave") && info.contains("master_port:" + primaryPort);
        }
    }

    /** Sends {@code signal} to the {@code redis-server} (a process this JVM started) listening on the node's port. */
    private static void signal(RedisProcess node, String signal) throws Exception {
        // redis-server rewrites its command line as its title: "redis-server 127.0.0.1:<port> [cluster]".
        Pattern listening = Pattern.compile(
                "redis-server.*:" + node.port() + "(\\D|$)", Pattern.DOTALL);
        long pid = ProcessHandle.current().descendants().filter(process -> {
            try {
                return listening.matcher(Files.readString(
                        Path.of("/proc/" + process.pid() + "/cmdline"))).find();
            } catch (IOException ended) {
                return false;
            }
        }).mapToLong(ProcessHandle::pid).findFirst().orElseThrow();
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor());
    }

    private static RedisProcess owner(CountedReads counted, int slot) {
        HostAndPort node = counted.provider.getNode(slot);
        return cluster.primaries().stream().filter(primary -> primary.port() == node.getPort()).findFirst()
                .orElseGet(() -> cluster.primaries().stream()
                        .map(cluster::replicaOf).filter(replica -> replica.port() == node.getPort())
                        .findFirst().orElseThrow());
    }

    /**
     * The pipelined reads as the store builds them, on a slot map read again (in the background) only on redirections,
     * with a count of the reads that went through the Cluster client instead and a clock the test moves (for the
     * sweep). The Cluster client follows a redirection however long its first attempt took: a loaded machine must not
     * turn a redirection into a miss here.
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
            provider = new BackgroundSlotMap(RedisConnections.addresses(settings.topology()), client,
                    RedisConnections.poolConfig(settings), null);
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
        return settings(Map.of());
    }

    private RedisSettings settings(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of(
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisClusterProcesses.USER + ":"
                        + RedisClusterProcesses.PASSWORD + "@" + cluster.seeds(),
                ResponseCacheProperties.REDIS_TOPOLOGY, "cluster",
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                // Patient: on a loaded machine only a Redis that does not answer may make a read miss.
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "20s"));
        properties.putAll(extra);
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
