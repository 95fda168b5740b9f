package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.RedisProcess;
import dev.responsecache.testing.TcpRelay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;

/**
 * A new connection logs in inside the call that needed it: {@code AUTH}, {@code CLIENT SETNAME} (with Jedis's
 * {@code CLIENT SETINFO}), {@code SELECT}, each reply waited for up to the read timeout. A server that answered each of
 * them just within it held a reconnecting request three read timeouts before its command was even sent, past the
 * bound the store gives the cache for a call. Expected: the login as a whole within one read timeout, the call then
 * failed as a read timeout (nothing stored, a miss), for the pool's connections and for the hits' pipelined one.
 *
 * <p>The server is played slow by a relay that hands on each reply 0.9 read timeouts late: each step answers within
 * its own timeout, the three together take 2.7. Not timed: the outcome says which bound held (with a read timeout per
 * step, the login ends and the entry is stored).
 */
class LoginOfASlowServerWaitedAReadTimeoutPerStepIT {

    private static final String PASSWORD = "login-s3cret";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    private static RedisProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        server = RedisProcess.plain(Files.createTempDirectory("redis-slow-login"), "--requirepass", PASSWORD);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void loginOfANewConnectionIsBoundedAsAWholeByOneReadTimeout() throws IOException {
        String prefix = RedisApps.uniquePrefix();
        RedisKeys keys = new RedisKeys(prefix);
        try (TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1", server.port()));
             Jedis direct = server.client()) {
            relay.open();
            direct.auth(PASSWORD);
            direct.select(1);
            // Slow from the start: Jedis's client takes a pooled connection as it is built (to learn the protocol),
            // which would otherwise leave the pool one logged in before the server turned slow.
            relay.delayReplies(READ_TIMEOUT.multipliedBy(9).dividedBy(10));
            RedisStore store = RedisConnections.open(settings(prefix, relay.port()), Clock.systemUTC(),
                    System::nanoTime);
            try {
                // The pool's first connection: its login outlasts one read timeout, and the SET is never sent.
                store.put(entry("GET /slow/1"));
                assertEquals(1L, store.faultCounts().get(StoreFaults.TIMEOUT), store.faultCounts()::toString);
                assertEquals(0L, store.faultCounts().get(StoreFaults.CONNECTION), store.faultCounts()::toString);
                // The hits' pipelined connection, made by this hit: the same.
                assertNull(store.get("GET /slow/1"));
                assertEquals(2L, store.faultCounts().get(StoreFaults.TIMEOUT), store.faultCounts()::toString);

                relay.delayReplies(Duration.ZERO);
                assertNull(direct.get(keys.of("GET /slow/1")), "stored by a login that outlasted its bound");
                // A server that answers at once: connections made as before.
                store.put(entry("GET /slow/2"));
                assertNotNull(store.get("GET /slow/2"));
                assertNotNull(direct.get(keys.of("GET /slow/2")));
            } finally {
                store.close();
            }
        }
    }

    private static RedisSettings settings(String prefix, int port) {
        Map<String, String> properties = Map.of(
                ResponseCacheProperties.REDIS_URI, "redis://:" + PASSWORD + "@127.0.0.1:" + port + "/1",
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                ResponseCacheProperties.REDIS_READ_TIMEOUT, READ_TIMEOUT.toMillis() + "ms");
        return RedisSettings.from(new PropertyValues(properties::get));
    }

    private static CacheEntry entry(String key) {
        long now = System.currentTimeMillis();
        return new CacheEntry(key, 200, List.of(new Header("Content-Type", "text/plain")),
                key.getBytes(StandardCharsets.UTF_8), now, now + 3_600_000, List.of());
    }
}
