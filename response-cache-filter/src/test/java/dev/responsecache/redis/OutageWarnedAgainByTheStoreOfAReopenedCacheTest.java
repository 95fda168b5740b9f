package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LocalPorts;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisProcess;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache opened again with settings another component added opens a new store while the one it replaces is still
 * open, and the new store warned of the outage the replaced one had warned of: one outage, two warnings (the breaker's
 * "judged unhealthy", the eviction feed's "failed"). The new store of the same Redis now goes on with the episode; a
 * store of another Redis, and a fault the replaced store had not met, are warned of as before.
 */
class OutageWarnedAgainByTheStoreOfAReopenedCacheTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void breakerAndEvictionFeedOfTheSameRedisWarnOnceAcrossTheReopen() {
        // Port 1 on the loopback: nothing listens there, so connecting is refused at once.
        String uri = "redis://127.0.0.1:1/0";
        try (LogCapture log = LogCapture.of("dev.responsecache");
             RedisStore replaced = store(uri)) {
            replaced.started();
            RedisEvictionFeed replacedFeed = (RedisEvictionFeed) replaced.evictionFeed();
            replacedFeed.listen(() -> { });
            try (RedisStore reopened = store(uri)) {
                reopened.startedInPlaceOf(replaced);
                RedisEvictionFeed feed = (RedisEvictionFeed) reopened.evictionFeed();
                feed.listen(() -> { });
                // A second attempt begins once the first one's failure was reported.
                Eventually.until(() -> feed.attempts() >= 2 && replacedFeed.attempts() >= 2, DEADLINE,
                        () -> "the feeds made " + replacedFeed.attempts() + " and " + feed.attempts() + " attempts");
                List<String> warnings = log.messagesAtLeast(Level.WARNING);
                assertEquals(1, warnings.stream().filter(line -> line.startsWith("Redis at 127.0.0.1:1 judged"
                        + " unhealthy")).count(), warnings::toString);
                assertEquals(1, warnings.stream().filter(line -> line.startsWith("Redis eviction feed from"
                        + " 127.0.0.1:1 failed")).count(), warnings::toString);
                assertTrue(reopened.judgedUnhealthy(), "the outage went on with the breaker closed");
                assertEquals("open", reopened.status().breaker());
            }
        }
    }

    @Test
    void storeOfAnotherRedisWarnsOfItsOwnOutage() {
        int nothingListens = LocalPorts.free();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             RedisStore replaced = store("redis://127.0.0.1:1/0");
             RedisStore reopened = store("redis://127.0.0.1:" + nothingListens + "/0")) {
            replaced.started();
            reopened.startedInPlaceOf(replaced);
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.stream().filter(line -> line.startsWith("Redis at 127.0.0.1:1 judged"
                    + " unhealthy")).count(), warnings::toString);
            assertEquals(1, warnings.stream().filter(line -> line.startsWith("Redis at 127.0.0.1:" + nothingListens
                    + " judged unhealthy")).count(), warnings::toString);
        }
    }

    @Test
    void outageTheReplacedStoreHadNotMetIsWarnedOf() {
        String uri;
        RedisStore replaced;
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            try (RedisProcess server = RedisProcess.plain(dir)) {
                uri = "redis://127.0.0.1:" + server.port() + "/0";
                replaced = store(uri);
                replaced.started();
            }
            try (RedisStore reopened = store(uri)) {
                reopened.startedInPlaceOf(replaced);
            } finally {
                replaced.close();
            }
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.stream().filter(line -> line.contains(" judged unhealthy")).count(),
                    warnings::toString);
        }
    }

    /** The stores of one test share a key prefix: another prefix is another connection, with episodes of its own. */
    private final String prefix = RedisApps.uniquePrefix();

    private RedisStore store(String uri) {
        Map<String, Object> given = Map.of(ResponseCacheProperties.REDIS_URI, uri,
                ResponseCacheProperties.REDIS_COOL_DOWN, "50ms",
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        return (RedisStore) new RedisStoreProvider().create(new StoreContext(new PropertyValues(given::get),
                Clock.systemUTC()));
    }
}
