package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisSentinelProcesses;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The store asks every sentinel where the primary is (every few seconds, and after a {@code READONLY}), to follow a
 * failover Jedis did not hear. A sentinel whose ACL user may not run {@code SENTINEL GET-MASTER-ADDR-BY-NAME} (an
 * {@code ACL SETUSER} on the sentinel itself) answered {@code NOPERM}, which was dropped without a word: the store
 * silently could not follow failovers. Now each refusing sentinel is warned of once per episode, naming it, the user,
 * the command and the ACL rule to grant, across a reopen of the cache, and its recovery is an INFO line. How often
 * the store asked is read from the sentinel's own {@code ACL LOG} (its count of the same denial), not from a clock.
 */
class SentinelRefusingTheQuestionForThePrimaryIsWarnedOnceIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String USER = "watcher";
    private static final String PASSWORD = "watch-s3cret";
    /** Short, so that the asks counted in the sentinel's ACL LOG come quickly; nothing waits for it to pass. */
    private static final Duration CHECK = Duration.ofMillis(100);

    private RedisSentinelProcesses sentinel;
    private List<HostAndPort> sentinels;
    private final String prefix = RedisApps.uniquePrefix();
    private Level previousLevel;

    @BeforeEach
    void startSentinelsWithAnAclUser() {
        sentinel = RedisSentinelProcesses.started();
        sentinels = java.util.Arrays.stream(sentinel.sentinelAddresses().split(",")).map(HostAndPort::from).toList();
        // Sentinel has ACLs of its own (Redis 6.2 and later), set on the sentinel process.
        sentinels.forEach(node -> acl(node, "on", ">" + PASSWORD, "allchannels", "+@all"));
    }

    @AfterEach
    void stop() {
        Logger.getLogger("dev.responsecache").setLevel(previousLevel);
        sentinel.close();
    }

    @Test
    void sentinelRefusingGetMasterAddrByNameIsWarnedOnceAcrossAReopenAndItsRecoveryLogged() {
        HostAndPort refusing = sentinels.get(0);
        try (LogCapture log = infoOf("dev.responsecache")) {
            RedisStore first = RedisConnections.open(settings(), Clock.systemUTC(), System::nanoTime, CHECK);
            first.started();
            first.put(entry("GET /a"));
            assertNotNull(first.get("GET /a"), "stored: the provider is built, the checks run");

            // Redis 6.2 (the fixtures' server) cannot take one subcommand away: the whole command is.
            acl(refusing, "-sentinel");
            awaitDenials(refusing, 3);
            assertEquals(1, refusals(log, refusing), () -> String.join("\n", log.messagesAtLeast(Level.INFO)));
            String warning = log.messagesAtLeast(Level.WARNING).stream().filter(line -> line.contains(refusing
                    .toString())).findFirst().orElseThrow();
            assertContainsAll(warning, "'" + USER + "'", "SENTINEL GET-MASTER-ADDR-BY-NAME", "NOPERM",
                    "ACL SETUSER " + USER + " +sentinel|get-master-addr-by-name");

            // The cache reopened: the new store's checks meet the same refusal, an episode already warned of.
            RedisStore second = RedisConnections.open(settings(), Clock.systemUTC(), System::nanoTime, CHECK);
            second.startedInPlaceOf(first);
            first.close();
            try {
                assertNotNull(second.get("GET /a"), "the other sentinels name the primary");
                long before = denials(refusing);
                awaitDenials(refusing, before + 2);
                assertEquals(1, refusals(log, refusing), () -> String.join("\n", log.messagesAtLeast(Level.INFO)));

                // The rule the warning names.
                acl(refusing, "+sentinel|get-master-addr-by-name");
                Eventually.until(() -> log.messagesAtLeast(Level.INFO).stream().anyMatch(line -> line.contains(
                        "Redis Sentinel at " + refusing + " answers")), DEADLINE, () -> "no recovery line");
                assertEquals(1, refusals(log, refusing));
            } finally {
                second.close();
            }
        }
    }

    /** At start-up every sentinel refuses: Jedis says only that none answered; each refusal is named. */
    @Test
    void everySentinelRefusingAtStartUpIsNamed() {
        sentinels.forEach(node -> acl(node, "-sentinel"));
        try (LogCapture log = infoOf("dev.responsecache")) {
            RedisStore store = RedisConnections.open(settings(), Clock.systemUTC(), System::nanoTime, CHECK);
            try {
                store.started();
                Eventually.until(() -> sentinels.stream().allMatch(node -> refusals(log, node) == 1), DEADLINE,
                        () -> String.join("\n", log.messagesAtLeast(Level.INFO)));
            } finally {
                store.close();
            }
        }
    }

    private static long refusals(LogCapture log, HostAndPort node) {
        return log.messagesAtLeast(Level.WARNING).stream().filter(line -> line.contains("Redis Sentinel at " + node
                + " refused")).count();
    }

    private static void assertContainsAll(String line, String... parts) {
        for (String part : parts) {
            assertEquals(true, line.contains(part), () -> "'" + part + "' missing from: " + line);
        }
    }

    /** Waits until the sentinel has refused the store's question at least {@code count} times. */
    private static void awaitDenials(HostAndPort node, long count) {
        Eventually.until(() -> denials(node) >= count, DEADLINE, () -> node + " was not asked again");
    }

    /** How many times the sentinel denied the command to the user, from its ACL LOG (one entry, counted). */
    @SuppressWarnings("unchecked")
    private static long denials(HostAndPort node) {
        try (Jedis jedis = new Jedis(node)) {
            jedis.auth(RedisSentinelProcesses.SENTINEL_PASSWORD);
            List<Object> entries = (List<Object>) jedis.sendCommand(redis.clients.jedis.Protocol.Command.ACL,
                    "LOG");
            long count = 0;
            for (Object entry : entries) {
                List<Object> fields = (List<Object>) entry;
                Map<String, Object> byName = new java.util.HashMap<>();
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    byName.put(new String((byte[]) fields.get(i), StandardCharsets.UTF_8), fields.get(i + 1));
                }
                Object object = byName.get("object");
                if (object instanceof byte[] name && new String(name, StandardCharsets.UTF_8)
                        .startsWith("sentinel")) {
                    count += (Long) byName.get("count");
                }
            }
            return count;
        }
    }

    private static void acl(HostAndPort node, String... rules) {
        try (Jedis jedis = new Jedis(node)) {
            jedis.auth(RedisSentinelProcesses.SENTINEL_PASSWORD);
            jedis.aclSetUser(USER, rules);
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
                ResponseCacheProperties.REDIS_URI, "redis://" + RedisSentinelProcesses.USER + ":"
                        + RedisSentinelProcesses.PASSWORD + "@" + sentinel.sentinelAddresses() + "/0",
                ResponseCacheProperties.REDIS_TOPOLOGY, "sentinel",
                ResponseCacheProperties.REDIS_SENTINEL_MASTER, RedisSentinelProcesses.MASTER,
                ResponseCacheProperties.REDIS_SENTINEL_USER, USER,
                ResponseCacheProperties.REDIS_SENTINEL_PASSWORD, PASSWORD,
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
