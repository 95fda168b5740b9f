package dev.responsecache.redis;

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
import dev.responsecache.testing.TcpRelay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;

/**
 * Jedis's Sentinel listeners each ask their sentinel where the primary is, then subscribe to {@code +switch-master}:
 * a failover between the two is never heard, and Jedis stayed on the old primary (a replica now: writes refused with
 * {@code READONLY}) for as long as its sentinel connections lasted. Here the sentinels are reached through relays
 * that hold every {@code SUBSCRIBE} back: the failover runs, to its end, while each listener has asked and not yet
 * subscribed; then the subscriptions go through, healthy and too late. The store must still end up on the new
 * primary.
 */
class SentinelSwitchBeforeTheListenersSubscribedIsFollowedIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private RedisSentinelProcesses sentinel;
    private final List<TcpRelay> relays = new ArrayList<>();
    private final String prefix = RedisApps.uniquePrefix();
    private Level previousLevel;

    @BeforeEach
    void startSentinelsBehindRelays() throws IOException {
        sentinel = RedisSentinelProcesses.started();
        for (String address : sentinel.sentinelAddresses().split(",")) {
            TcpRelay relay = new TcpRelay(new InetSocketAddress("127.0.0.1",
                    Integer.parseInt(address.substring(address.indexOf(':') + 1))));
            relay.open();
            relay.holdSubscriptions();
            relays.add(relay);
        }
    }

    @AfterEach
    void stop() {
        Logger.getLogger("dev.responsecache").setLevel(previousLevel);
        relays.forEach(TcpRelay::close);
        sentinel.close();
    }

    /** Reads alone (no write to be refused): the sentinels asked again every few seconds name the new primary. */
    @Test
    void hitsFollowTheSwitchTheListenersMissedWithoutAWrite() {
        RedisProcess promoted = sentinel.replica();
        RedisStore store = RedisConnections.open(settings(), Clock.systemUTC(), System::nanoTime);
        try (LogCapture log = infoOf("dev.responsecache")) {
            store.put(entry("GET /before"));
            switchUnheard(store);

            Eventually.until(() -> store.get("GET /before") != null
                            && SentinelPipelinedReadsIT.readerThreads(promoted.port()) == 1, DEADLINE,
                    () -> "hits never reached the primary the sentinels name: " + store.faultCounts());
            assertFollowedLogged(log);
        } finally {
            store.close();
        }
    }

    /**
     * Writes refused with {@code READONLY} by the old primary: the sentinels are asked again at once (the periodic
     * question is made a day apart here, so that only the refusal can bring the store to the new primary).
     */
    @Test
    void writesRefusedAsReadOnlyAfterTheSwitchTheListenersMissedAskTheSentinelsAgain() {
        RedisProcess promoted = sentinel.replica();
        RedisStore store = RedisConnections.open(settings(), Clock.systemUTC(), System::nanoTime, Duration.ofDays(1));
        try (LogCapture log = infoOf("dev.responsecache")) {
            store.put(entry("GET /before"));
            switchUnheard(store);

            // Only a write sent to the promoted replica puts a key there: the old primary is its replica now.
            byte[] after = new RedisKeys(prefix).of("GET /after");
            Eventually.until(() -> {
                store.put(entry("GET /after"));
                try (Jedis jedis = promoted.client()) {
                    return jedis.exists(after);
                }
            }, DEADLINE, () -> "the store never wrote to the primary the sentinels name: " + store.faultCounts());
            assertNotNull(store.get("GET /after"), "a hit, read from the new primary");
            assertFollowedLogged(log);
        } finally {
            store.close();
        }
    }

    /**
     * The store's first call has built Jedis's provider, whose listeners have each asked their sentinel where the
     * primary is; their {@code SUBSCRIBE}s are held back while a failover runs to its end, then let through.
     */
    private void switchUnheard(RedisStore store) {
        assertNotNull(store.get("GET /before"), "stored on the first primary");
        Eventually.until(() -> relays.stream().allMatch(relay -> relay.heldSubscriptions() == 1), DEADLINE,
                () -> "a listener never asked and subscribed");
        sentinel.failOver(DEADLINE);
        relays.forEach(TcpRelay::releaseSubscriptions);
    }

    private static void assertFollowedLogged(LogCapture log) {
        List<String> lines = log.messagesAtLeast(Level.INFO);
        assertTrue(lines.stream().anyMatch(message -> message.contains("as the primary of "
                + RedisSentinelProcesses.MASTER) && message.contains("did not hear the switch")),
                () -> String.join("\n", lines));
    }

    /** The tests log warnings only; this one reads the line that says the store followed the sentinels. */
    private LogCapture infoOf(String name) {
        Logger logger = Logger.getLogger(name);
        previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        return LogCapture.of(name);
    }

    private RedisSettings settings() {
        String sentinels = relays.stream().map(relay -> "127.0.0.1:" + relay.port())
                .collect(Collectors.joining(","));
        Map<String, String> properties = Map.of(
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisSentinelProcesses.USER + ":"
                        + RedisSentinelProcesses.PASSWORD + "@" + sentinels + "/0",
                ResponseCacheProperties.REDIS_TOPOLOGY, "sentinel",
                ResponseCacheProperties.REDIS_SENTINEL_MASTER, RedisSentinelProcesses.MASTER,
                ResponseCacheProperties.REDIS_SENTINEL_PASSWORD, RedisSentinelProcesses.SENTINEL_PASSWORD,
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                // Patient: on a loaded machine only a Redis that does not answer may make a call fail.
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "20s");
        return RedisSettings.from(new PropertyValues(properties::get));
    }

    private static CacheEntry entry(String key) {
        long now = System.currentTimeMillis();
        return new CacheEntry(key, 200, List.of(new Header("Content-Type", "text/plain")),
                key.getBytes(StandardCharsets.UTF_8), now, now + 3_600_000, List.of());
    }
}
