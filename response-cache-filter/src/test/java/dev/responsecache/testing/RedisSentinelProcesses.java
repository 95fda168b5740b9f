package dev.responsecache.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A primary and its replica watched by three sentinels (quorum two), all {@code redis-server} processes on local
 * ports. A primary is judged down after one second without answers, so a failover takes a few seconds.
 */
public final class RedisSentinelProcesses implements AutoCloseable {

    public static final String MASTER = "cache";
    /** The sentinels' own password ({@code requirepass}), which they also use among themselves. */
    public static final String SENTINEL_PASSWORD = "sentinel-s3cret";
    /** An ACL user of the primary and the replica, allowed only the keys and channels under {@code rc-test-}. */
    public static final String USER = "app";
    public static final String PASSWORD = "data-s3cret";

    private final RedisProcess primary;
    private final RedisProcess replica;
    private final List<RedisProcess> sentinels = new ArrayList<>();

    private RedisSentinelProcesses(RedisProcess primary, RedisProcess replica) {
        this.primary = primary;
        this.replica = replica;
    }

    public static RedisSentinelProcesses started() {
        try {
            Path dir = Files.createTempDirectory("redis-sentinel");
            String[] user = {"--user", USER, "on", ">" + PASSWORD, "~rc-test-*", "resetchannels", "&rc-test-*",
                "+@all"};
            RedisProcess primary = RedisProcess.plain(dir.resolve("primary"), user);
            String[] replicaArgs = java.util.Arrays.copyOf(user, user.length + 3);
            replicaArgs[user.length] = "--replicaof";
            replicaArgs[user.length + 1] = "127.0.0.1";
            replicaArgs[user.length + 2] = Integer.toString(primary.port());
            RedisProcess replica = RedisProcess.plain(dir.resolve("replica"), replicaArgs);
            RedisSentinelProcesses set = new RedisSentinelProcesses(primary, replica);
            try {
                Eventually.until(() -> replicaSynced(replica), Duration.ofSeconds(60), () -> "replica never synced");
                for (int i = 0; i < 3; i++) {
                    set.sentinels.add(RedisProcess.onFreePort(dir.resolve("sentinel" + i), (port, home) -> {
                        Files.createDirectories(home);
                        Path conf = home.resolve("sentinel.conf");
                        Files.writeString(conf, String.join("\n",
                                "port " + port,
                                "bind 127.0.0.1",
                                "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port() + " 2",
                                "sentinel down-after-milliseconds " + MASTER + " 1000",
                                "sentinel failover-timeout " + MASTER + " 5000",
                                "sentinel parallel-syncs " + MASTER + " 1",
                                "requirepass " + SENTINEL_PASSWORD,
                                "sentinel sentinel-pass " + SENTINEL_PASSWORD, ""));
                        return List.of(conf.toAbsolutePath().toString(), "--sentinel");
                    }, "+monitor master"));
                }
                // Each sentinel must know the replica (to promote it) and the other sentinels (to vote).
                Eventually.until(() -> set.sentinels.stream().allMatch(set::seesEverything), Duration.ofSeconds(60),
                        () -> "the sentinels never found the replica and each other");
                return set;
            } catch (RuntimeException e) {
                set.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sentinels, {@code host:port,host:port,host:port}. */
    public String sentinelAddresses() {
        return sentinels.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
    }

    public RedisProcess primary() {
        return primary;
    }

    public RedisProcess replica() {
        return replica;
    }

    /**
     * Whether every sentinel names {@code node} as the primary. The sentinels that did not run a failover learn of it
     * by gossip (the hello messages): an application that asks one of them before then is given the old primary.
     */
    public boolean everySentinelNames(RedisProcess node) {
        return sentinels.stream().allMatch(sentinel -> primaryPortNamedBy(sentinel) == node.port());
    }

    /**
     * A failover of the primary to the replica, asked of a sentinel again while it has not happened: a sentinel
     * abandons a failover whose replica did not take over within its failover-timeout (5 s), which a loaded machine
     * can make it miss, and never tries a failover that was asked of it again by itself. Asked again only while no
     * sentinel names the replica (asked of one that had not heard yet, it would fail back). Returns once every
     * sentinel names the replica.
     */
    public void failOver(Duration deadline) {
        Eventually.until(() -> {
            if (sentinels.stream().noneMatch(sentinel -> primaryPortNamedBy(sentinel) == replica.port())) {
                try (Jedis sentinel = sentinels.get(0).client()) {
                    sentinel.auth(SENTINEL_PASSWORD);
                    sentinel.sentinelFailover(MASTER);
                } catch (JedisDataException notNow) {
                    // INPROG (one under way, which may still end either way) or NOGOODSLAVE (the replica not yet fit).
                }
            }
            return Eventually.within(() -> sentinels.stream().anyMatch(sentinel -> primaryPortNamedBy(sentinel)
                    == replica.port()), Duration.ofSeconds(10));
        }, deadline, () -> "the sentinels never promoted the replica");
        Eventually.until(() -> everySentinelNames(replica), deadline,
                () -> "some sentinel never learned of the failover");
    }

    /**
     * Sets how long every sentinel waits for the primary to answer before judging it down. A sentinel also never
     * promotes a replica whose link to the primary has been down longer than ten times that, plus how long the primary
     * has been judged down (a fixed factor in Redis, unlike a Cluster's {@code cluster-replica-validity-factor}): a test
     * whose replica lags behind on purpose, its link cut, raises it far past the test's own deadlines, so that no slow
     * step between the cut and the failover makes the replica unfit, and asks for the failover ({@link #failOver})
     * instead of waiting for the primary to be judged down.
     */
    public void downAfter(Duration downAfter) {
        for (RedisProcess node : sentinels) {
            try (Jedis sentinel = node.client()) {
                sentinel.auth(SENTINEL_PASSWORD);
                sentinel.sentinelSet(MASTER, Map.of("down-after-milliseconds", Long.toString(downAfter.toMillis())));
            }
        }
    }

    /**
     * Returns once every sentinel has as many subscribed clients as this JVM has Jedis listener threads for it.
     * Jedis learns of a failover from the sentinels' {@code +switch-master}, heard only by a listener subscribed by
     * then; each listener asks where the primary is and then subscribes, on a thread of its own started as its
     * provider is built, so a failover between the two goes unheard for good (until that connection breaks). Call it
     * once the application has built its provider (its first call to Redis): a listener is then looked for on every
     * sentinel, so that a Jedis that named its threads otherwise fails here rather than making the wait an empty one.
     */
    public void awaitListenersSubscribed(Duration deadline) {
        Eventually.until(() -> sentinels.stream().allMatch(sentinel -> {
            long listeners = listeners(sentinel);
            return listeners > 0 && subscribed(sentinel) >= listeners;
        }), deadline, () -> "a Jedis listener never subscribed to its sentinel");
    }

    /** Live Jedis listener threads of this JVM on {@code sentinel} (Jedis names them after the master and address). */
    private static long listeners(RedisProcess sentinel) {
        String name = MASTER + "-SentinelListener-[127.0.0.1:" + sentinel.port() + "]";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name) && thread.isAlive()).count();
    }

    /** Clients of {@code sentinel} subscribed to a channel (the sentinels subscribe to none of one another's). */
    private static long subscribed(RedisProcess sentinel) {
        try (Jedis jedis = sentinel.client()) {
            jedis.auth(SENTINEL_PASSWORD);
            return jedis.clientList().lines().filter(line -> !line.contains(" sub=0 ")).count();
        }
    }

    private static int primaryPortNamedBy(RedisProcess sentinel) {
        try (Jedis jedis = sentinel.client()) {
            jedis.auth(SENTINEL_PASSWORD);
            return Integer.parseInt(jedis.sentinelGetMasterAddrByName(MASTER).get(1));
        }
    }

    private boolean seesEverything(RedisProcess sentinel) {
        try (Jedis jedis = sentinel.client()) {
            jedis.auth(SENTINEL_PASSWORD);
            String info = jedis.info("sentinel");
            return info.contains("slaves=1") && info.contains("sentinels=3");
        }
    }

    private static boolean replicaSynced(RedisProcess replica) {
        try (Jedis jedis = replica.client()) {
            return jedis.info("replication").contains("master_link_status:up");
        }
    }

    @Override
    public void close() {
        sentinels.forEach(RedisProcess::close);
        replica.close();
        primary.close();
    }
}
