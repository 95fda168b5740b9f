package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.RedisSentinelProcesses;

import java.time.Duration;
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
 * The store on a primary and replica managed by three password-protected sentinels, logged in to the data nodes as
 * an ACL user: the application is given the sentinels only, and follows the primary through a failover (run last: it
 * leaves no replica).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelIT {

    private static RedisSentinelProcesses sentinel;
    private TopologyScenarios scenarios;

    @BeforeAll
    static void startSentinels() {
        sentinel = RedisSentinelProcesses.started();
    }

    @AfterAll
    static void stopSentinels() {
        sentinel.close();
    }

    @BeforeEach
    void startInstances() {
        scenarios = new TopologyScenarios(Map.of(
                // The data nodes' ACL login in the URI, the sentinels' own password apart.
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisSentinelProcesses.USER + ":"
                        + RedisSentinelProcesses.PASSWORD + "@" + sentinel.sentinelAddresses() + "/0",
                ResponseCacheProperties.REDIS_TOPOLOGY, "sentinel",
                ResponseCacheProperties.REDIS_SENTINEL_MASTER, RedisSentinelProcesses.MASTER,
                ResponseCacheProperties.REDIS_SENTINEL_PASSWORD, RedisSentinelProcesses.SENTINEL_PASSWORD));
    }

    @AfterEach
    void stopInstances() {
        scenarios.close();
    }

    @Test
    @Order(1)
    void secondInstanceHitsWhatTheFirstStoredThroughThePrimaryTheSentinelsName() {
        scenarios.secondInstanceHitsWhatTheFirstStored();
    }

    @Test
    @Order(2)
    void evictionThroughOneInstanceReachesBoth() throws Exception {
        scenarios.evictionThroughOneInstanceReachesBoth();
    }

    @Test
    @Order(3)
    void primaryKilledUnderLoadCostsMissesNeverAnErrorAndHitsResumeOnThePromotedReplica() throws Exception {
        TopologyScenarios.FailoverFigures figures = scenarios.failoverUnderLoad(() -> {
            // Both instances must hear the switch: their Jedis listeners subscribed before it.
            sentinel.awaitListenersSubscribed(Duration.ofSeconds(90));
            sentinel.primary().kill();
        }, () -> sentinel.everySentinelNames(sentinel.replica()));
        System.out.println("Sentinel primary killed under load: " + figures);
        assertEquals(0, figures.failed(), figures.toString());
    }
}
