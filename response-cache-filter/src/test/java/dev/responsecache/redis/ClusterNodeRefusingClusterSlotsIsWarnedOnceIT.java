package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The store reads the Cluster's slot map again in the background (periodically, and after redirections and failed
 * commands). Jedis skipped a node that refused {@code CLUSTER SLOTS} without a word: once the application's ACL user
 * lost {@code cluster|slots} (an {@code ACL SETUSER} on the nodes after start-up), the map went stale silently. Now
 * each refusing node is warned of once per episode (its address, the user, the command and the rule to grant), across
 * a reopen of the cache, and each recovery is an INFO line. How often the map was asked for is read from each node's
 * own {@code ACL LOG} (its count of the same denial), not from a clock.
 */
class ClusterNodeRefusingClusterSlotsIsWarnedOnceIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private RedisClusterProcesses cluster;
    private final List<RedisProcess> nodes = new ArrayList<>();
    private final String prefix = RedisApps.uniquePrefix();
    private Level previousLevel;

    @BeforeEach
    void startCluster() {
        cluster = RedisClusterProcesses.started();
        for (RedisProcess primary : cluster.primaries()) {
            nodes.add(primary);
            nodes.add(cluster.replicaOf(primary));
        }
    }

    @AfterEach
    void stop() {
        Logger.getLogger("dev.responsecache").setLevel(previousLevel);
        cluster.close();
    }

    @Test
    void slotMapRefusedByEveryNodeAfterStartUpIsWarnedOncePerNodeAcrossAReopenAndItsRecoveryLogged() {
        try (LogCapture log = infoOf("dev.responsecache")) {
            RedisStore first = RedisConnections.open(settings(), Clock.systemUTC(), System::nanoTime);
            first.started();
            first.put(entry("GET /a"));
            assertNotNull(first.get("GET /a"), "stored: the slot map was read");

            // Redis 6.2 (the fixtures' server) cannot take one subcommand away: the whole command is.
            nodes.forEach(node -> acl(node, "-cluster"));
            nodes.forEach(node -> awaitDenials(node, 2));
            nodes.forEach(node -> assertEquals(1, refusals(log, node), () -> lines(log)));
            String warning = log.messagesAtLeast(Level.WARNING).stream()
                    .filter(line -> line.contains("Redis Cluster node at 127.0.0.1:" + nodes.get(0).port()))
                    .findFirst().orElseThrow();
            for (String part : List.of("'" + RedisClusterProcesses.USER + "'", "CLUSTER SLOTS", "NOPERM",
                    "ACL SETUSER " + RedisClusterProcesses.USER + " +cluster|slots")) {
                assertTrue(warning.contains(part), () -> "'" + part + "' missing from: " + warning);
            }

            // The cache reopened: the new store meets the same refusals, episodes already warned of.
            RedisStore second = RedisConnections.open(settings(), Clock.systemUTC(), System::nanoTime);
            second.startedInPlaceOf(first);
            first.close();
            try {
                Map<RedisProcess, Long> before = new HashMap<>();
                nodes.forEach(node -> before.put(node, denials(node)));
                nodes.forEach(node -> awaitDenials(node, before.get(node) + 2));
                nodes.forEach(node -> assertEquals(1, refusals(log, node), () -> lines(log)));

                // The rule the warning names.
                nodes.forEach(node -> acl(node, "+cluster|slots"));
                Eventually.until(() -> nodes.stream().allMatch(node -> log.messagesAtLeast(Level.INFO).stream()
                        .anyMatch(line -> line.contains("Redis Cluster node at 127.0.0.1:" + node.port()
                                + " answers"))), DEADLINE, () -> lines(log));
                nodes.forEach(node -> assertEquals(1, refusals(log, node), () -> lines(log)));
                // The reopened store found no map at its start (an outage for its breaker): it reads once a probe
                // finds the map read again.
                Eventually.until(() -> second.get("GET /a") != null, DEADLINE,
                        () -> "the reopened store never read again: " + second.faultCounts());
            } finally {
                second.close();
            }
        }
    }

    private static String lines(LogCapture log) {
        return String.join("\n", log.messagesAtLeast(Level.INFO));
    }

    private static long refusals(LogCapture log, RedisProcess node) {
        return log.messagesAtLeast(Level.WARNING).stream()
                .filter(line -> line.contains("Redis Cluster node at 127.0.0.1:" + node.port() + " refused")).count();
    }

    private static void awaitDenials(RedisProcess node, long count) {
        Eventually.until(() -> denials(node) >= count, DEADLINE, () -> node.port() + " was not asked again");
    }

    /** How many times the node denied CLUSTER SLOTS to the user, from its ACL LOG (one entry, counted). */
    @SuppressWarnings("unchecked")
    private static long denials(RedisProcess node) {
        try (Jedis jedis = node.client()) {
            List<Object> entries = (List<Object>) jedis.sendCommand(Protocol.Command.ACL, "LOG");
            long count = 0;
            for (Object entry : entries) {
                List<Object> fields = (List<Object>) entry;
                Map<String, Object> byName = new HashMap<>();
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    byName.put(new String((byte[]) fields.get(i), StandardCharsets.UTF_8), fields.get(i + 1));
                }
                if (byName.get("object") instanceof byte[] object
                        && new String(object, StandardCharsets.UTF_8).startsWith("cluster")) {
                    count += (Long) byName.get("count");
                }
            }
            return count;
        }
    }

    private static void acl(RedisProcess node, String rule) {
        try (Jedis jedis = node.client()) {
            jedis.aclSetUser(RedisClusterProcesses.USER, rule);
        }
    }

    private LogCapture infoOf(String name) {
        Logger logger = Logger.getLogger(name);
        previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        return LogCapture.of(name);
    }

    private RedisSettings settings() {
        Map<String, String> properties = Map.of(
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisClusterProcesses.USER + ":"
                        + RedisClusterProcesses.PASSWORD + "@" + cluster.seeds() + "/0",
                ResponseCacheProperties.REDIS_TOPOLOGY, "cluster",
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "20s");
        return RedisSettings.from(new PropertyValues(properties::get));
    }

    private static CacheEntry entry(String key) {
        long now = System.currentTimeMillis();
        return new CacheEntry(key, 200, List.of(new Header("Content-Type", "text/plain")),
                key.getBytes(StandardCharsets.UTF_8), now, now + 3_600_000, List.of());
    }
}
