package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisProcess;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A store opened in place of another ({@link RedisStore#startedInPlaceOf}) was matched to it by {@code host:port}
 * alone, so a reopening that changed the login, database, key prefix or TLS went on with the replaced store's episode:
 * a new fault of the new settings (a wrong password newly configured) was taken for the old one and not warned of.
 * A store goes on with the episode only of a store on the same connection: addresses, user, password, database,
 * prefix and TLS.
 */
class StoreReopenedOnAnotherConnectionWentOnWithTheReplacedStoresEpisodeTest {

    private static final String PREFIX = "rc-test-reopened:";

    @TempDir
    Path dir;

    @Test
    void wrongPasswordNewlyConfiguredIsWarnedOfThoughTheReplacedStoresLoginWasRefusedToo() {
        try (LogCapture log = LogCapture.of("dev.responsecache");
             RedisProcess server = RedisProcess.plain(dir, "--requirepass", "right")) {
            String address = "127.0.0.1:" + server.port();
            try (RedisStore replaced = store("redis://:wrong@" + address + "/0", PREFIX)) {
                replaced.started();
                try (RedisStore sameLogin = store("redis://:wrong@" + address + "/0", PREFIX)) {
                    sameLogin.startedInPlaceOf(replaced);
                }
                assertEquals(1, refusedLogins(log, address), "the same login is the same episode");
                try (RedisStore otherPassword = store("redis://:also-wrong@" + address + "/0", PREFIX)) {
                    otherPassword.startedInPlaceOf(replaced);
                }
            }
            assertEquals(2, refusedLogins(log, address), log.messagesAtLeast(Level.WARNING)::toString);
        }
    }

    /** Nothing listens on port 1 of the loopback: every store there is judged unhealthy at start-up. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "another database, redis://127.0.0.1:1/1, " + PREFIX,
            "another user, redis://someone:secret@127.0.0.1:1/0, " + PREFIX,
            "another password, redis://:other@127.0.0.1:1/0, " + PREFIX,
            "another key prefix, redis://:secret@127.0.0.1:1/0, rc-test-other:",
            "TLS, rediss://:secret@127.0.0.1:1/0, " + PREFIX,
    })
    void storeOnAnotherConnectionToTheSameAddressWarnsOfItsOwnOutage(String change, String uri, String prefix) {
        try (LogCapture log = LogCapture.of("dev.responsecache");
             RedisStore replaced = store("redis://:secret@127.0.0.1:1/0", PREFIX)) {
            replaced.started();
            try (RedisStore same = store("redis://:secret@127.0.0.1:1/0", PREFIX)) {
                same.startedInPlaceOf(replaced);
            }
            assertEquals(1, judgedUnhealthy(log), "the same connection goes on with the episode");
            try (RedisStore other = store(uri, prefix)) {
                other.startedInPlaceOf(replaced);
            }
            assertEquals(2, judgedUnhealthy(log), change + ": " + log.messagesAtLeast(Level.WARNING));
        }
    }

    private static long refusedLogins(LogCapture log, String address) {
        return log.messagesAtLeast(Level.SEVERE).stream()
                .filter(line -> line.startsWith("Redis at " + address + " refused the login")).count();
    }

    private static long judgedUnhealthy(LogCapture log) {
        List<String> warnings = log.messagesAtLeast(Level.WARNING);
        return warnings.stream().filter(line -> line.startsWith("Redis at 127.0.0.1:1 judged unhealthy")).count();
    }

    private static RedisStore store(String uri, String prefix) {
        Map<String, Object> given = Map.of(ResponseCacheProperties.REDIS_URI, uri,
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        return (RedisStore) new RedisStoreProvider().create(new StoreContext(new PropertyValues(given::get),
                Clock.systemUTC()));
    }
}
