package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisProcess;
import dev.responsecache.testing.RedisSentinelProcesses;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Hits under Sentinel read through one pipelined connection to the primary, logged in as the pool is, and follow the
 * primary through a failover: once Jedis has seen the switch, a read goes to the new primary, never the old one (which
 * is made to hold another value, as a primary cut off by a partition might). The failover runs last: it swaps the
 * roles for good. Reads are counted where they fall back on the pool.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelPipelinedReadsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static RedisSentinelProcesses sentinel;
    private final String prefix = RedisApps.uniquePrefix();

    @BeforeAll
    static void startSentinels() {
        sentinel = RedisSentinelProcesses.started();
    }

    @AfterAll
    static void stopSentinels() {
        sentinel.close();
    }

    @Test
    @Order(1)
    void hitsReadThroughOnePipelinedConnectionToThePrimaryLoggedInAsThePoolIs() {
        try (CountedReads counted = new CountedReads()) {
            byte[] key = key("a");
            // Through the pool: the sentinels are asked where the primary is.
            counted.jedis.set(key, bytes("one"));
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(bytes("one"), counted.reads.get(key, null));
            }
            assertEquals(0, counted.pooled.get(), "every read went through the pipelined connection");
            assertEquals(1, readerThreads(sentinel.primary().port()));
            String clients = clientList(sentinel.primary());
            assertTrue(clients.lines().anyMatch(line -> line.contains(" name=response-cache ")
                    && line.contains(" user=" + RedisSentinelProcesses.USER + " ") && line.contains(" db=0 ")
                    && line.contains(" cmd=get ")), clients);
        }
    }

    /**
     * The store wired as an application gets it; its pipelined connection cut by the server (a proxy restarted, a
     * client killed): no read was owed, so nothing is a miss or a fault, and the next hit makes the connection again.
     */
    @Test
    @Order(2)
    void storeHitsReadThroughThePipelinedConnectionWhichIsMadeAgainAfterTheServerCutsIt() {
        RedisProcess primary = sentinel.primary();
        RedisStore store = RedisConnections.open(settings(), Clock.systemUTC(), System::nanoTime);
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            String key = "GET /cut";
            store.put(entry(key));
            assertNotNull(store.get(key));
            assertEquals(1, readerThreads(primary.port()), "the store's hits are pipelined");

            try (Jedis admin = primary.client()) {
                for (String line : admin.clientList().lines().toList()) {
                    if (line.contains(" name=response-cache ") && line.contains(" cmd=get ")) {
                        admin.sendCommand(Protocol.Command.CLIENT, "KILL", "ID",
                                line.substring("id=".length(), line.indexOf(' ')));
                    }
                }
            }
            Eventually.until(() -> readerThreads(primary.port()) == 0, DEADLINE,
                    () -> "the reader never saw its connection closed");

            assertNotNull(store.get(key), "hits again");
            assertEquals(1, readerThreads(primary.port()), "on a new pipelined connection");
            assertEquals(Map.of(StoreFaults.TIMEOUT, 0L, StoreFaults.CONNECTION, 0L, StoreFaults.ERROR_REPLY, 0L,
                    StoreFaults.UNUSABLE_VALUE, 0L, StoreFaults.POOL_BUSY, 0L), store.faultCounts());
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING));
        } finally {
            store.close();
        }
    }

    @Test
    @Order(3)
    void afterAFailoverIsSeenReadsGoToTheNewPrimaryNeverTheOld() {
        RedisProcess old = sentinel.primary();
        RedisProcess promoted = sentinel.replica();
        try (CountedReads counted = new CountedReads()) {
            byte[] key = key("failover");
            counted.jedis.set(key, bytes("before"));
            assertArrayEquals(bytes("before"), counted.reads.get(key, null));
            assertEquals(1, readerThreads(old.port()));

            sentinel.awaitListenersSubscribed(DEADLINE);
            sentinel.failOver(DEADLINE);
            Eventually.until(() -> promoted.port() == counted.provider.currentMaster().getPort(), DEADLINE,
                    () -> "Jedis never saw the switch to " + promoted.port());
            Eventually.until(() -> replicates(old, promoted.port()), DEADLINE,
                    () -> "the old primary never became the new one's replica");
            try (Jedis newPrimary = promoted.client(); Jedis oldPrimary = old.client()) {
                newPrimary.set(key, bytes("after"));
                Eventually.until(() -> "after".equals(oldPrimary.get(new String(key, StandardCharsets.US_ASCII))),
                        DEADLINE, () -> "the old primary never replicated the write");
                // Written on the old primary alone: a read that reached it would answer this.
                oldPrimary.configSet("replica-read-only", "no");
                try {
                    oldPrimary.set(key, bytes("old primary's"));
                    long pooled = counted.pooled.get();

                    assertArrayEquals(bytes("after"), counted.reads.get(key, null), "read on the new primary");
                    assertEquals(pooled, counted.pooled.get(), "through a pipelined connection to it");
                    assertEquals(1, readerThreads(promoted.port()));
                    Eventually.until(() -> readerThreads(old.port()) == 0, DEADLINE,
                            () -> "the old primary's connection was never closed");
                    assertArrayEquals(bytes("after"), counted.reads.get(key, null));
                } finally {
                    oldPrimary.configSet("replica-read-only", "yes");
                }
            }
        }
    }

    /** The pipelined reads as the store builds them, and a count of the reads that went through the pool instead. */
    private final class CountedReads implements AutoCloseable {

        final AtomicLong pooled = new AtomicLong();
        final LazySentinelProvider provider;
        final UnifiedJedis jedis;
        final SentinelPipelinedReads reads;

        CountedReads() {
            RedisSettings settings = settings();
            RedisTopology topology = settings.topology();
            RedisUri uri = settings.uri();
            JedisClientConfig client = RedisConnections.clientConfig(settings, uri.user(), uri.password(),
                    uri.database());
            provider = new LazySentinelProvider(topology.sentinelMaster(), client,
                    RedisConnections.poolConfig(settings), RedisConnections.addresses(topology),
                    RedisConnections.clientConfig(settings, topology.sentinelUser(), topology.sentinelPassword(), 0),
                    settings.coolDown(), LazySentinelProvider.PRIMARY_CHECK, System::nanoTime);
            jedis = new UnifiedJedis(provider);
            reads = new SentinelPipelinedReads(provider, client, settings.readTimeout(), (key, within) -> {
                pooled.incrementAndGet();
                return jedis.get(key);
            }, System::nanoTime);
        }

        @Override
        public void close() {
            reads.close();
            jedis.close();
        }
    }

    private RedisSettings settings() {
        Map<String, String> properties = Map.of(
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisSentinelProcesses.USER + ":"
                        + RedisSentinelProcesses.PASSWORD + "@" + sentinel.sentinelAddresses() + "/0",
                ResponseCacheProperties.REDIS_TOPOLOGY, "sentinel",
                ResponseCacheProperties.REDIS_SENTINEL_MASTER, RedisSentinelProcesses.MASTER,
                ResponseCacheProperties.REDIS_SENTINEL_PASSWORD, RedisSentinelProcesses.SENTINEL_PASSWORD,
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                // Patient: on a loaded machine only a Redis that does not answer may make a read miss.
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "20s");
        return RedisSettings.from(new PropertyValues(properties::get));
    }

    private static boolean replicates(RedisProcess replica, int primaryPort) {
        try (Jedis jedis = replica.client()) {
            String info = jedis.info("replication");
            return info.contains("role:slave") && info.contains("master_port:" + primaryPort)
                    && info.contains("master_link_status:up");
        } catch (JedisException e) {
            // A primary turned replica closes its clients' connections.
            return false;
        }
    }

    private static String clientList(RedisProcess node) {
        try (Jedis jedis = node.client()) {
            return jedis.clientList();
        }
    }

    static long readerThreads(int port) {
        String name = "response-cache-redis-reader 127.0.0.1:" + port;
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name) && thread.isAlive())
                .count();
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
