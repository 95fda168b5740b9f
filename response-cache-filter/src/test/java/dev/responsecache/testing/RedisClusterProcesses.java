package dev.responsecache.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis Cluster of three primaries, each with one replica, of {@code redis-server} processes on local ports, set up
 * with CLUSTER MEET, ADDSLOTS and REPLICATE (no redis-cli). Failure detection is quick (1 s node timeout) so that a
 * killed primary's replica takes over within seconds. Every node knows the ACL user {@link #USER} (password
 * {@link #PASSWORD}), allowed only the keys and channels under {@code rc-test-}; the default user stays open for the
 * set-up and the test's own checks.
 */
public final class RedisClusterProcesses implements AutoCloseable {

    public static final String USER = "app";
    public static final String PASSWORD = "cluster-s3cret";
    private static final int SLOTS = 16384;
    /** How long a manual failover is given before it is asked again (Redis abandons one after 5 s). */
    private static final Duration ASK_AGAIN = Duration.ofSeconds(10);

    private final List<RedisProcess> primaries = new ArrayList<>();
    private final List<RedisProcess> replicas = new ArrayList<>();

    private RedisClusterProcesses() {
    }

    /**
     * One node, on a free port whose cluster bus port (the port + 10000) was free too (see {@link LocalPorts}); a node
     * that finds either taken at start exits, and is started again on another port.
     */
    private static RedisProcess node(Path dir) {
        return RedisProcess.plain(dir, "--cluster-enabled", "yes",
                "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000",
                "--cluster-replica-validity-factor", "0",
                "--user", USER, "on", ">" + PASSWORD, "~rc-test-*", "resetchannels", "&rc-test-*", "+@all");
    }

    public static RedisClusterProcesses started() {
        RedisClusterProcesses cluster = new RedisClusterProcesses();
        try {
            Path dir = Files.createTempDirectory("redis-cluster");
            for (int i = 0; i < 6; i++) {
                RedisProcess node = node(dir.resolve("node" + i));
                (i < 3 ? cluster.primaries : cluster.replicas).add(node);
            }
            cluster.form();
            return cluster;
        } catch (java.io.IOException | RuntimeException e) {
            cluster.close();
            throw new IllegalStateException("could not start a Redis Cluster", e);
        }
    }

    private void form() {
        List<RedisProcess> all = all();
        try (Jedis first = all.get(0).client()) {
            for (RedisProcess node : all.subList(1, all.size())) {
                first.clusterMeet("127.0.0.1", node.port());
            }
        }
        for (int i = 0; i < 3; i++) {
            int from = i * SLOTS / 3;
            int to = (i + 1) * SLOTS / 3;
            int[] slots = new int[to - from];
            for (int s = from; s < to; s++) {
                slots[s - from] = s;
            }
            try (Jedis primary = primaries.get(i).client()) {
                primary.clusterAddSlots(slots);
            }
        }
        Eventually.until(() -> all.stream().allMatch(node -> knows(node, all.size())), Duration.ofSeconds(60),
                () -> "the cluster nodes never all met");
        for (int i = 0; i < 3; i++) {
            String primaryId = id(primaries.get(i));
            try (Jedis replica = replicas.get(i).client()) {
                replica.clusterReplicate(primaryId);
            }
        }
        // Every node's slot map names every replica too: a replica reaches the others' maps by gossip, after it
        // synced, and a store that read the map before then never knew it (it asks the nodes its map names).
        Eventually.until(() -> all.stream().allMatch(node -> info(node).contains("cluster_state:ok"))
                        && replicas.stream().allMatch(RedisClusterProcesses::synced)
                        && all.stream().allMatch(RedisClusterProcesses::mapsEveryRangeToAPrimaryAndItsReplica),
                Duration.ofSeconds(60), () -> "the cluster never became ok with synced replicas in every map");
    }

    /** Whether {@code node}'s {@code CLUSTER SLOTS} names two nodes for every range: its primary and one replica. */
    private static boolean mapsEveryRangeToAPrimaryAndItsReplica(RedisProcess node) {
        try (Jedis jedis = node.client()) {
            // (Jedis's clusterSlots() is deprecated.)
            List<?> ranges = (List<?>) jedis.sendCommand(Protocol.Command.CLUSTER, "SLOTS");
            // Each range: its first slot, its last, then one entry per node serving it.
            return ranges.size() == 3 && ranges.stream().allMatch(range -> ((List<?>) range).size() == 4);
        } catch (JedisException e) {
            return false;
        }
    }

    /** Seed nodes for the application: the three primaries, {@code host:port,host:port,...}. */
    public String seeds() {
        return primaries.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    public List<RedisProcess> primaries() {
        return primaries;
    }

    /** The replica set up for {@code primary}. */
    public RedisProcess replicaOf(RedisProcess primary) {
        return replicas.get(primaries.indexOf(primary));
    }

    /**
     * A manual failover of {@code primary} to {@code replica} (the old primary lives on as a replica), asked again
     * while it has not happened: Redis abandons a manual failover the primary did not agree to within its own fixed
     * timeout (5 s), which a loaded machine can make it miss; a failover asked again after that starts afresh.
     * Returns once every node names the two in their new roles: the other nodes learn of a failover by gossip, and one
     * asked for the slot map before then would still answer the old primary.
     */
    public void failOver(RedisProcess replica, RedisProcess primary, Duration deadline) {
        Eventually.until(() -> {
            try (Jedis jedis = replica.client()) {
                // Once it is a primary (its cluster not yet ok again), asking again would be refused.
                if (jedis.info("replication").contains("role:slave")) {
                    jedis.clusterFailover();
                }
            }
            return Eventually.within(() -> isPrimary(replica) && !isPrimary(primary), ASK_AGAIN);
        }, deadline, () -> "the replica never took over");
        String promoted = id(replica);
        String demoted = id(primary);
        Eventually.until(() -> all().stream().allMatch(node -> names(node, promoted, "master")
                        && names(node, demoted, "slave")),
                deadline, () -> "some node never learned of the failover");
    }

    /**
     * Returns once every node names {@code owner} as the owner of {@code slot}: slots set with {@code CLUSTER SETSLOT}
     * reach the replicas by gossip, and a node asked for the slot map before then would still answer the old owner.
     */
    public void awaitSlotOwner(int slot, RedisProcess owner, Duration deadline) {
        String id = id(owner);
        Eventually.until(() -> all().stream().allMatch(node -> owns(node, id, slot)), deadline,
                () -> "some node never learned that slot " + slot + " moved");
    }

    /** Whether {@code node}'s view of the cluster gives the slot to the node {@code id}. */
    private static boolean owns(RedisProcess node, String id, int slot) {
        try (Jedis jedis = node.client()) {
            return jedis.clusterNodes().lines().map(line -> line.split(" "))
                    .filter(fields -> fields[0].equals(id))
                    .flatMap(fields -> List.of(fields).subList(Math.min(8, fields.length), fields.length).stream())
                    .filter(range -> !range.startsWith("["))
                    .anyMatch(range -> {
                        String[] ends = range.split("-");
                        int first = Integer.parseInt(ends[0]);
                        int last = Integer.parseInt(ends[ends.length - 1]);
                        return first <= slot && slot <= last;
                    });
        }
    }

    /** Whether {@code node}'s view of the cluster gives the node {@code id} the flag {@code role}. */
    private static boolean names(RedisProcess node, String id, String role) {
        try (Jedis jedis = node.client()) {
            return jedis.clusterNodes().lines().map(line -> line.split(" "))
                    .anyMatch(fields -> fields[0].equals(id) && List.of(fields[2].split(",")).contains(role));
        }
    }

    /** Whether {@code node} now serves as a primary (after a failover, a former replica). */
    public static boolean isPrimary(RedisProcess node) {
        try (Jedis jedis = node.client()) {
            return jedis.info("replication").contains("role:master")
                    && info(node).contains("cluster_state:ok");
        } catch (JedisException e) {
            return false;
        }
    }

    /** Subscribers of {@code channel} over every live node (each client subscribes on one node). */
    public long subscribers(String channel) {
        long count = 0;
        for (RedisProcess node : all()) {
            try (Jedis jedis = node.client()) {
                count += jedis.pubsubNumSub(channel).getOrDefault(channel, 0L);
            } catch (JedisException e) {
                // A killed node has no subscribers.
            }
        }
        return count;
    }

    private List<RedisProcess> all() {
        List<RedisProcess> all = new ArrayList<>(primaries);
        all.addAll(replicas);
        return all;
    }

    private static boolean knows(RedisProcess node, int count) {
        try (Jedis jedis = node.client()) {
            return jedis.clusterInfo().contains("cluster_known_nodes:" + count);
        }
    }

    private static boolean synced(RedisProcess replica) {
        try (Jedis jedis = replica.client()) {
            String info = jedis.info("replication");
            return info.contains("role:slave") && info.contains("master_link_status:up");
        }
    }

    private static String info(RedisProcess node) {
        try (Jedis jedis = node.client()) {
            return jedis.clusterInfo();
        } catch (JedisException e) {
            return "";
        }
    }

    private static String id(RedisProcess node) {
        try (Jedis jedis = node.client()) {
            return jedis.clusterMyId();
        }
    }

    @Override
    public void close() {
        all().forEach(RedisProcess::close);
    }
}
