package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A reopened store was matched to the store it replaces ({@link RedisSettings#sameConnection}) by its node list in
 * order, so a Cluster's seeds or the sentinels listed in another order made another store, which warned again of the
 * outage or refusal the replaced one had reported. The same nodes in any order are the same connections; another node,
 * primary name or sentinels' login is still another.
 */
class StoreReopenedWithItsNodesListedInAnotherOrderWarnedAgainTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cluster", "sentinel"})
    void sameNodesInAnotherOrderAreTheSameConnection(String topology) {
        RedisSettings listed = settings(topology, "redis://:secret@10.0.0.1:7000,10.0.0.2:7001,10.0.0.3:7002", "main");
        RedisSettings reordered = settings(topology, "redis://:secret@10.0.0.3:7002,10.0.0.1:7000,10.0.0.2:7001",
                "main");
        assertTrue(listed.sameConnection(reordered));
        assertTrue(reordered.sameConnection(listed));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cluster", "sentinel"})
    void anotherNodeOrPasswordIsAnotherConnection(String topology) {
        RedisSettings listed = settings(topology, "redis://:secret@10.0.0.1:7000,10.0.0.2:7001", "main");
        assertFalse(listed.sameConnection(settings(topology, "redis://:secret@10.0.0.1:7000,10.0.0.9:7001", "main")));
        assertFalse(listed.sameConnection(settings(topology, "redis://:other@10.0.0.2:7001,10.0.0.1:7000", "main")));
    }

    @Test
    void anotherSentinelMasterIsAnotherConnection() {
        RedisSettings listed = settings("sentinel", "redis://:secret@10.0.0.1:26379,10.0.0.2:26379", "main");
        assertFalse(listed.sameConnection(settings("sentinel", "redis://:secret@10.0.0.2:26379,10.0.0.1:26379",
                "other")));
    }

    private static RedisSettings settings(String topology, String uri, String master) {
        Map<String, Object> given = new HashMap<>();
        given.put(ResponseCacheProperties.REDIS_URI, uri);
        given.put(ResponseCacheProperties.REDIS_TOPOLOGY, topology);
        if (topology.equals("sentinel")) {
            given.put(ResponseCacheProperties.REDIS_SENTINEL_MASTER, master);
        }
        return RedisSettings.from(new PropertyValues(given::get));
    }
}
