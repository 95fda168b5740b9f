package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up checks of the topology and TLS settings: each bad value fails naming the property and the value. */
class RedisTopologyTest {

    private final Map<String, Object> properties = new HashMap<>(Map.of(ResponseCacheProperties.STORE, "redis"));

    private RedisSettings settings() {
        return RedisSettings.from(new PropertyValues(properties::get));
    }

    private String failure() {
        return assertThrows(ResponseCacheConfigException.class, this::settings).getMessage();
    }

    @Test
    void singleServerUriKeepsWorkingAsBefore() {
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://app:pw@cache:6380/2");
        RedisSettings settings = settings();
        assertEquals(RedisTopology.Kind.SINGLE, settings.topology().kind());
        assertEquals(new RedisUri(false, "cache", 6380, 2, "app", "pw"), settings.uri());
        assertEquals("cache:6380", settings.topology().address());
        assertNull(settings.tlsSockets());
    }

    @Test
    void clusterSeedsShareTheLoginAndTls() {
        properties.put(ResponseCacheProperties.REDIS_URI, "rediss://app:pw@a:7000, b:7001,c");
        properties.put(ResponseCacheProperties.REDIS_TOPOLOGY, "cluster");
        RedisTopology topology = settings().topology();
        assertEquals(RedisTopology.Kind.CLUSTER, topology.kind());
        assertEquals(List.of(new RedisUri(true, "a", 7000, 0, "app", "pw"), new RedisUri(true, "b", 7001, 0, "app", "pw"),
                new RedisUri(true, "c", 6379, 0, "app", "pw")), topology.nodes());
        assertEquals("cluster a:7000,b:7001,c:6379", topology.address());
    }

    @Test
    void sentinelNeedsTheMasterNameAndMayLogInToTheSentinels() {
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://s1:26379,s2:26379,s3:26379/1");
        properties.put(ResponseCacheProperties.REDIS_TOPOLOGY, "sentinel");
        assertTrue(failure().startsWith(ResponseCacheProperties.REDIS_SENTINEL_MASTER + " must be set"));
        properties.put(ResponseCacheProperties.REDIS_SENTINEL_MASTER, "cache");
        properties.put(ResponseCacheProperties.REDIS_SENTINEL_PASSWORD, "sentinel-secret");
        RedisTopology topology = settings().topology();
        assertEquals("cache", topology.sentinelMaster());
        assertEquals("sentinel-secret", topology.sentinelPassword());
        assertEquals(3, topology.nodes().size());
        assertEquals(1, topology.uri().database());
    }

    @Test
    void badTopologySettingsFailNamingThePropertyAndValue() {
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://a:7000,b:7001");
        assertTrue(failure().startsWith("Invalid value for responsecache.redis.uri: 'redis://a:7000,b:7001' (expected"
                + " one host: a list of hosts needs responsecache.redis.topology=cluster or sentinel"), failure());
        properties.put(ResponseCacheProperties.REDIS_TOPOLOGY, "sharded");
        assertTrue(failure().startsWith("Invalid value for responsecache.redis.topology: 'sharded'"), failure());
        properties.put(ResponseCacheProperties.REDIS_TOPOLOGY, "cluster");
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://:TopSecret@a:7000,b:7001/3");
        assertTrue(failure().contains("database 0"), failure());
        assertFalse(failure().contains("TopSecret"), failure());
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://:TopSecret@a:7000,b:port");
        assertTrue(failure().startsWith("Invalid value for responsecache.redis.uri: 'redis://:****@a:7000,b:port'"),
                failure());
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://a:7000,b:7001");
        properties.put(ResponseCacheProperties.REDIS_SENTINEL_MASTER, "cache");
        assertTrue(failure().startsWith("responsecache.redis.sentinel-master is set but responsecache.redis.topology"
                + " is cluster"), failure());
    }

    /** Port 1 on the loopback: nothing listens there, so connecting is refused at once. */
    @Test
    void clusterUnreachableAtStartUpDoesNotFailTheStoreCreation() {
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:1,127.0.0.1:2");
        properties.put(ResponseCacheProperties.REDIS_TOPOLOGY, "cluster");
        try (var store = new RedisStoreProvider().create(new StoreContext(new PropertyValues(properties::get),
                Clock.systemUTC()))) {
            store.started();
            assertNull(store.get("GET /anything"));
            assertFalse(store.status().reachable());
        }
    }

    @Test
    void sentinelsUnreachableAtStartUpDoNotFailTheStoreCreation() {
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:1,127.0.0.1:2");
        properties.put(ResponseCacheProperties.REDIS_TOPOLOGY, "sentinel");
        properties.put(ResponseCacheProperties.REDIS_SENTINEL_MASTER, "cache");
        try (var store = new RedisStoreProvider().create(new StoreContext(new PropertyValues(properties::get),
                Clock.systemUTC()))) {
            store.started();
            assertNull(store.get("GET /anything"));
            assertFalse(store.status().reachable());
        }
    }

    @Test
    void tlsMaterialIsCheckedAtStartUp(@TempDir Path dir) throws Exception {
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://cache:6379");
        properties.put(ResponseCacheProperties.REDIS_TRUST_STORE, dir.resolve("ca.pem").toString());
        assertTrue(failure().startsWith("responsecache.redis.trust-store is set but responsecache.redis.uri is not a"
                + " rediss:// (TLS) URI"), failure());
        properties.put(ResponseCacheProperties.REDIS_URI, "rediss://cache:6379");
        assertTrue(failure().startsWith("Invalid value for responsecache.redis.trust-store: '" + dir.resolve("ca.pem")
                + "' (expected a readable PEM file"), failure());
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        assertTrue(failure().startsWith("Invalid value for responsecache.redis.trust-store"), failure());
    }

    /** A store password given without its store, or without TLS, was ignored where its store is refused. */
    @Test
    void storePasswordWithoutItsStoreFailsAsTheStoreWithoutTlsDoes() {
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://cache:6379");
        properties.put(ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD, "changeit");
        assertTrue(failure().startsWith("responsecache.redis.key-store-password is set but responsecache.redis.uri is"
                + " not a rediss:// (TLS) URI"), failure());
        properties.put(ResponseCacheProperties.REDIS_URI, "rediss://cache:6379");
        assertEquals("responsecache.redis.key-store-password is set but responsecache.redis.key-store is not",
                failure());
        properties.remove(ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD);
        properties.put(ResponseCacheProperties.REDIS_TRUST_STORE_PASSWORD, "changeit");
        assertEquals("responsecache.redis.trust-store-password is set but responsecache.redis.trust-store is not",
                failure());
    }
}
