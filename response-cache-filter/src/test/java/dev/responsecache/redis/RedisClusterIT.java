package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.RedisClusterProcesses;
import dev.responsecache.testing.RedisProcess;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The store on a Redis Cluster of three primaries with a replica each, logged in as an ACL user: entries, tags and
 * evictions spread over the nodes, and a primary killed under load. The failover runs last: it leaves the cluster with one node fewer.
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

    @Test
    @Order(5)
    void killedPrimaryUnderLoadCostsMissesNeverAnErrorAndHitsResume() throws Exception {
        RedisProcess victim = cluster.primaries().get(0);
        RedisProcess replica = cluster.replicaOf(victim);
        TopologyScenarios.FailoverFigures figures = scenarios.failoverUnderLoad(victim::kill,
                () -> RedisClusterProcesses.isPrimary(replica));
        System.out.println("Cluster primary killed under load: " + figures);
        assertEquals(0, figures.failed(), figures.toString());
    }
}
