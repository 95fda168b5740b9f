package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;
import dev.responsecache.testing.LogCapture;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The keys whose table entry reads "duration or {@code 0}" took {@code 0} alone and refused {@code 0s} and
 * {@code 0ms}, which a duration written with its unit suggests, and the refusal said "expected a positive duration"
 * of keys that accept 0. Zero is now zero however it is written, and each message says what its key accepts.
 */
class ZeroDurationWithAUnitWasRefusedTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0ms", "0S", "0 ms", "00s"})
    void zeroWithAUnitTurnsOffWhatZeroTurnsOff(String zero) {
        assertEquals(StaleWindows.NONE, CacheSettings.from(properties(Map.of(
                ResponseCacheProperties.STALE_WHILE_REVALIDATE, zero,
                ResponseCacheProperties.STALE_IF_ERROR, zero))).staleWindows());
        assertEquals(0, StaleDeadlines.from(properties(Map.of(
                ResponseCacheProperties.STALE_IF_ERROR_DEADLINE, zero))).millis(-1));
        HeaderModeSettings headerMode = HeaderModeSettings.from(properties(Map.of(
                ResponseCacheProperties.HEURISTIC_TTL, zero,
                ResponseCacheProperties.REVALIDATION_WINDOW, zero)));
        assertEquals(0, headerMode.heuristicMillis());
        assertEquals(0, headerMode.keepForRevalidation());

        AtomicInteger leasesAsked = new AtomicInteger();
        assertNull(ClusterFlight.of(() -> {
            leasesAsked.incrementAndGet();
            return (KeyLeases) null;
        }, properties(Map.of(ResponseCacheProperties.COALESCE_LEASE, zero)), Duration.ofSeconds(5),
                System::nanoTime, CacheEvents.NONE));
        assertEquals(0, leasesAsked.get(), "a zero lease is off: the store is not asked for leases");
    }

    /** A lease of 0s is off, as 0 is, so a store without leases does not make it a setting with no effect. */
    @ParameterizedTest
    @ValueSource(strings = {"0s", "0ms"})
    void zeroLeaseWithAUnitIsNotWarnedOfAsASettingWithNoEffect(String zero) {
        try (LogCapture log = LogCapture.of("dev.responsecache");
             ResponseCache cache = ResponseCache.start(properties(Map.of(
                     ResponseCacheProperties.COALESCE_LEASE, zero)))) {
            assertEquals("ehcache", cache.settings().storeName());
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING));
        }
    }

    @ParameterizedTest
    @CsvSource({
            "responsecache.stale-while-revalidate,  -5s,  0 or a positive duration such as 250ms or 2s",
            "responsecache.stale-if-error,          5m,   0 or a positive duration such as 250ms or 2s",
            "responsecache.stale-if-error-deadline, 1.5s, 0 or a positive duration such as 250ms or 2s",
            "responsecache.heuristic-ttl,           -1,   0 or a positive duration such as 250ms or 2s",
            "responsecache.revalidation-window,     1h,   0 or a positive duration such as 250ms or 2s",
            "responsecache.coalesce-lease,          x,    0 or a positive duration such as 250ms or 2s",
            "responsecache.coalesce-wait,           0s,   a positive duration such as 250ms or 2s",
            "responsecache.coalesce-wait,           0,    a positive duration such as 250ms or 2s",
            "responsecache.store-budget,            0ms,  a positive duration such as 250ms or 2s",
            "responsecache.redis.read-timeout,      0s,   a positive duration such as 250ms or 2s",
            "responsecache.redis.connect-timeout,   -1s,  a positive duration such as 250ms or 2s",
            "responsecache.redis.cool-down,         0,    a positive duration such as 250ms or 2s",
            "responsecache.redis.slow-call,         0ms,  a positive duration such as 250ms or 2s",
    })
    void badDurationIsRefusedSayingWhatItsKeyAccepts(String name, String value, String expected) {
        ResponseCacheConfigException error = assertThrows(ResponseCacheConfigException.class,
                () -> ResponseCache.start(properties(Map.of(ResponseCacheProperties.ENABLED, "false", name, value))));
        assertEquals("Invalid value for " + name + ": '" + value + "' (expected " + expected + ")",
                error.getMessage());
    }

    private static PropertyValues properties(Map<String, Object> given) {
        return new PropertyValues(given::get);
    }
}
