package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisClusterProcesses;
import dev.responsecache.testing.RedisProcess;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The store on a Redis Cluster of three primaries with a replica each, logged in as an ACL user: entries, tags and
 * evictions spread over the nodes, a node's pool full, and a primary killed under load. The failover runs last: it
 * leaves the cluster with one node fewer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static RedisClusterProcesses cluster;
    private TopologyScenarios scenarios;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcesses.started();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void startInstances() {
        scenarios = new TopologyScenarios(settings());
    }

    private static Map<String, String> settings() {
        return Map.of(
                // An ACL user allowed only the test prefixes: every key and channel the store touches is under it.
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisClusterProcesses.USER + ":"
                        + RedisClusterProcesses.PASSWORD + "@" + cluster.seeds(),
                ResponseCacheProperties.REDIS_TOPOLOGY, "cluster");
    }

    @AfterEach
    void stopInstances() {
        scenarios.close();
    }

    @Test
    @Order(1)
    void secondInstanceHitsWhatTheFirstStoredAcrossTheNodes() {
        scenarios.secondInstanceHitsWhatTheFirstStored();
    }

    @Test
    @Order(2)
    void evictionThroughOneInstanceReachesBothWhicheverNodesHoldTheKeys() {
        scenarios.evictionThroughOneInstanceReachesBoth();
    }

    @Test
    @Order(3)
    void missThatReadBeforeAnEvictionStoresNothingWithTagsAndEntryInDifferentSlots() throws Exception {
        scenarios.missThatReadBeforeAnEvictionOnTheOtherInstanceStoresNothing();
    }

    /** Each instance subscribes on whichever node it reaches; Cluster forwards every PUBLISH to every node. */
    @Test
    @Order(4)
    void evictionReachesTheNearTierOfAnInstanceSubscribedOnAnotherNode() {
        Map<String, String> nearCached = new HashMap<>(settings());
        nearCached.put(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100");
        TopologyScenarios near = new TopologyScenarios(nearCached);
        try {
            near.evictionThroughOneInstanceDropsTheOthersNearCopy(() -> cluster.subscribers(near.prefix + "evictions"));
        } finally {
            near.close();
        }
    }

    /**
     * A tag of more entries than one pipeline of deletes holds ({@link RedisTagIndex#DELETE_CHUNK}), spread over every
     * node: the eviction, in chunks whose ZREMs wait for their DELs' replies, removes exactly them and empties the
     * tag's set.
     */
    @Test
    @Order(5)
    void evictingATagOfMoreEntriesThanOnePipelineOfDeletesRemovesThemAllAcrossTheNodes() {
        int entries = 2 * RedisTagIndex.DELETE_CHUNK + 500;
        MutableClock clock = new MutableClock();
        Map<String, String> properties = new HashMap<>(settings());
        String prefix = RedisApps.uniquePrefix();
        properties.put(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        // Thousands of entries stored one by one: on a loaded machine one reply may pause past the default 200 ms
        // read timeout, and a put that times out stores nothing this test counts on.
        properties.put(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        properties.put(ResponseCacheProperties.REDIS_SLOW_CALL, "30s");
        try (ResponseStore store = new RedisStoreProvider().create(
                new StoreContext(new PropertyValues(properties::get), clock))) {
            for (int i = 0; i < entries; i++) {
                store.put(RedisTagEvictionIT.entry("k" + i, clock), Set.of("big"), store.invalidationMark());
            }
            store.put(RedisTagEvictionIT.entry("other", clock), Set.of("small"), store.invalidationMark());

            assertEquals(entries, store.evict(Set.of("big")));

            for (int i = 0; i < entries; i++) {
                assertNull(store.get("k" + i), "k" + i);
            }
            assertNotNull(store.get("other"), "an entry without the tag stays");
            assertEquals(0, store.evict(Set.of("big")), "the tag's set names none of the deleted entries");
        }
    }

    /**
     * Every connection of one node's pool busy (held by writes that the node pauses, as a primary does in a failover):
     * hits on that node go on through its pipelined connection (reads are not paused), another write to it is skipped
     * at once, counted as a busy pool, and that is not an outage: no warning.
     */
    @Test
    @Order(6)
    void fullNodePoolIsNotAnOutageAndHitsGoOnThroughThePipelinedConnection() throws Exception {
        String prefix = RedisApps.uniquePrefix();
        Map<String, String> properties = new HashMap<>(settings());
        properties.put(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        properties.put(ResponseCacheProperties.REDIS_POOL_SIZE, "1");
        // The held writes must wait for the test, not give up first.
        properties.put(ResponseCacheProperties.REDIS_READ_TIMEOUT, "60s");
        RedisStore store = RedisConnections.open(RedisSettings.from(new PropertyValues(properties::get)),
                Clock.systemUTC(), System::nanoTime);
        ExecutorService writers = Executors.newCachedThreadPool();
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            RedisKeys keys = new RedisKeys(prefix);
            String read = "GET /read";
            store.put(entry(read));
            assertNotNull(store.get(read));
            int slot = JedisClusterCRC16.getSlot(keys.of(read));
            RedisProcess node = cluster.primaries().stream().filter(primary -> owns(primary).test(slot))
                    .findFirst().orElseThrow();
            IntPredicate ownsSlot = owns(node);
            // The node's pool: pool-size, and the connections counted in for the subscriptions this store holds none
            // of; and one write more.
            List<String> onNode = IntStream.iterate(0, i -> i + 1).mapToObj(i -> "GET /held/" + i)
                    .filter(key -> ownsSlot.test(JedisClusterCRC16.getSlot(keys.of(key))))
                    .limit(2 + RedisConnections.SUBSCRIPTIONS).toList();
            List<String> held = onNode.subList(0, onNode.size() - 1);
            String squeezed = onNode.get(onNode.size() - 1);
            log.clear();

            try (Jedis admin = node.client()) {
                admin.sendCommand(Protocol.Command.CLIENT, "PAUSE", "600000", "WRITE");
            }
            List<Future<?>> writes = new ArrayList<>();
            try {
                for (String key : held) {
                    writes.add(writers.submit(() -> store.put(entry(key))));
                }
                Eventually.until(() -> blockedClients(node) == held.size(), Duration.ofSeconds(30),
                        () -> "the writes never all reached " + node.port());

                assertNotNull(store.get(read), "a hit needs no pooled connection");
                store.put(entry(squeezed));
                assertNull(store.get(squeezed), "no free connection to its node: not stored");
                Map<String, Long> faults = store.faultCounts();
                assertEquals(1L, faults.get(StoreFaults.POOL_BUSY), faults::toString);
                assertEquals(0L, faults.get(StoreFaults.TIMEOUT), faults::toString);
                assertEquals(0L, faults.get(StoreFaults.CONNECTION), faults::toString);
                assertEquals(List.of(), log.messagesAtLeast(Level.WARNING), "a busy pool is not an outage");
            } finally {
                try (Jedis admin = node.client()) {
                    admin.sendCommand(Protocol.Command.CLIENT, "UNPAUSE");
                }
            }
            for (Future<?> write : writes) {
                write.get(30, TimeUnit.SECONDS);
            }
            store.put(entry(squeezed));
            assertNotNull(store.get(squeezed), "the node is written again");
        } finally {
            writers.shutdownNow();
            store.close();
        }
    }

    /** The slots {@code node} serves, from its own {@code CLUSTER NODES} line. */
    private static IntPredicate owns(RedisProcess node) {
        String nodes;
        try (Jedis jedis = node.client()) {
            nodes = jedis.clusterNodes();
        }
        String myself = nodes.lines().filter(line -> line.contains("myself")).findFirst().orElseThrow();
        String[] fields = myself.split(" ");
        List<int[]> ranges = new ArrayList<>();
        for (int i = 8; i < fields.length; i++) {
            if (!fields[i].startsWith("[")) {
                String[] range = fields[i].split("-");
                int from = Integer.parseInt(range[0]);
                ranges.add(new int[] {from, range.length == 1 ? from : Integer.parseInt(range[1])});
            }
        }
        return slot -> ranges.stream().anyMatch(range -> slot >= range[0] && slot <= range[1]);
    }

    private static long blockedClients(RedisProcess node) {
        try (Jedis jedis = node.client()) {
            Matcher blocked = Pattern.compile("blocked_clients:(\\d+)").matcher(jedis.info("clients"));
            return blocked.find() ? Long.parseLong(blocked.group(1)) : -1;
        }
    }

    private static CacheEntry entry(String key) {
        long now = System.currentTimeMillis();
        return new CacheEntry(key, 200, List.of(new Header("Content-Type", "text/plain")),
                key.getBytes(StandardCharsets.UTF_8), now, now + 3_600_000, List.of());
    }

    @Test
    @Order(7)
    void killedPrimaryUnderLoadCostsMissesNeverAnErrorAndHitsResume() throws Exception {
        RedisProcess victim = cluster.primaries().get(0);
        RedisProcess replica = cluster.replicaOf(victim);
        TopologyScenarios.FailoverFigures figures = scenarios.failoverUnderLoad(victim::kill,
                () -> RedisClusterProcesses.isPrimary(replica));
        System.out.println("Cluster primary killed under load: " + figures);
        assertEquals(0, figures.failed(), figures.toString());
    }
}
