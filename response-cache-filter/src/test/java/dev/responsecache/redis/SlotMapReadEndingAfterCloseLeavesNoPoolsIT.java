package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LocalPorts;
import dev.responsecache.testing.RedisClusterProcesses;
import dev.responsecache.testing.RedisProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A slot map read still in flight when the Cluster provider was closed made its node pools again once it ended.
 *
 * <p>{@code close()} interrupted the background read and destroyed the node pools, but an interrupt does not end a
 * blocking socket read: the read, on a node that hung, ended once the node answered, after the close, and made a pool
 * for every node the map named. Nothing closed those pools again; commons-pool's evictor kept them (and the
 * application's class loader) for good. Jedis's own periodic read, on its own thread, did the same, and so did a
 * command that followed a redirection after the close. Expected: once the read has ended, the closed provider has no
 * pools.
 *
 * <p>Nothing is timed: every node is stopped (SIGSTOP: it takes the connection into its kernel and answers nothing),
 * the test waits until a thread is in the read, closes the provider, lets the nodes run again and waits for that
 * thread to end. The read timeout is patient, so the read ends on the nodes' answer, not on the timeout.
 */
class SlotMapReadEndingAfterCloseLeavesNoPoolsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static RedisClusterProcesses cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.started();
        for (RedisProcess node : nodes()) {
            try (Jedis jedis = node.client()) {
                // All of them stopped for a while: nobody takes over once they run again.
                jedis.configSet("cluster-replica-no-failover", "yes");
            }
        }
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void aReadAskedForBeforeCloseThatEndsAfterItLeavesNoPools() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        BackgroundSlotMap provider = provider(null);
        closedWhileReading(provider, provider::renewSlotCache, before);
    }

    @Test
    void aPeriodicReadThatEndsAfterCloseLeavesNoPools() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        BackgroundSlotMap provider = provider(Duration.ofMillis(10));
        closedWhileReading(provider, () -> { }, before);
    }

    @Test
    void aRedirectionFollowedAfterCloseLeavesNoPools() {
        BackgroundSlotMap provider = provider(null);
        HostAndPort owner = provider.getNode(0);
        provider.close();
        // Where JedisCluster goes on a MOVED or ASK reply, on a request thread the close did not wait for.
        assertThrows(JedisClusterOperationException.class, () -> provider.getConnection(owner));
        assertEquals(Set.of(), provider.getNodes().keySet(), "the redirection made a pool again");
    }

    @Test
    void aRedirectionAfterCloseToANodeThatCannotBeReachedLeavesNoPools() throws Exception {
        BackgroundSlotMap provider = provider(null);
        // Below the ephemeral range: a port found free there is never a connection's own, which the kernel may give
        // the client connecting to it (a closed port from port 0 is in that range, and the client could connect to
        // itself).
        HostAndPort unreachable = new HostAndPort("127.0.0.1", LocalPorts.free());
        provider.close();
        // The node's pool is made before its connection fails (refused here; a hung node fails on its login).
        assertThrows(JedisException.class, () -> provider.getConnection(unreachable));
        assertEquals(Set.of(), provider.getNodes().keySet(), "the failed redirection left its pool behind");
    }

    /**
     * Stops every node, has the map read ({@code ask}), closes the provider once a thread of its own (one not among
     * {@code before}) waits in the read, and lets the nodes run again.
     */
    private static void closedWhileReading(BackgroundSlotMap provider, Runnable ask, Set<Thread> before)
            throws InterruptedException {
        assertFalse(provider.getNodes().isEmpty(), "the map was read at start");
        Thread reading;
        List<RedisProcess> stopped = new ArrayList<>();
        try {
            for (RedisProcess node : nodes()) {
                node.signal("STOP");
                stopped.add(node);
            }
            ask.run();
            List<Thread> found = new ArrayList<>();
            Eventually.until(() -> readingTheMap(before).map(found::add).orElse(false), DEADLINE,
                    () -> "no thread began to read the slot map");
            reading = found.get(0);
            provider.close();
            assertEquals(Set.of(), provider.getNodes().keySet(), "close destroys the pools");
        } finally {
            for (RedisProcess node : stopped) {
                node.signal("CONT");
            }
        }
        reading.join(DEADLINE.toMillis());
        assertFalse(reading.isAlive(), "the read never ended");
        assertEquals(Set.of(), provider.getNodes().keySet(), "the read that ended after close made pools again");
    }

    /**
     * A thread not among {@code before} in the slot map's read (the store's connection to a node, or Jedis's read
     * through it), waiting on a socket (a stopped node).
     */
    private static Optional<Thread> readingTheMap(Set<Thread> before) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> !before.contains(thread.getKey()))
                .filter(thread -> Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getMethodName().equals("renewClusterSlots")
                                || frame.getClassName().equals(SlotMapConnection.class.getName())))
                .filter(thread -> Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().startsWith("java.net.")
                                || frame.getClassName().startsWith("sun.nio.")))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    private static BackgroundSlotMap provider(Duration refreshEvery) {
        Map<String, String> properties = Map.of(
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisClusterProcesses.USER + ":"
                        + RedisClusterProcesses.PASSWORD + "@" + cluster.seeds(),
                ResponseCacheProperties.REDIS_TOPOLOGY, "cluster",
                ResponseCacheProperties.REDIS_KEY_PREFIX, RedisApps.uniquePrefix(),
                // Patient: the read must end on the nodes' answer, however loaded the machine.
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "60s");
        RedisSettings settings = RedisSettings.from(new PropertyValues(properties::get));
        RedisUri uri = settings.uri();
        JedisClientConfig client = RedisConnections.clientConfig(settings, uri.user(), uri.password(), 0);
        return new BackgroundSlotMap(RedisConnections.addresses(settings.topology()), client,
                RedisConnections.poolConfig(settings), refreshEvery);
    }

    private static List<RedisProcess> nodes() {
        List<RedisProcess> nodes = new ArrayList<>();
        for (RedisProcess primary : cluster.primaries()) {
            nodes.add(primary);
            nodes.add(cluster.replicaOf(primary));
        }
        return nodes;
    }
}
