package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.CountingStoreProvider;
import dev.responsecache.testing.LogCapture;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The start-up warned of settings with no effect only for keys of a store not in use: {@code coalesce-wait} with
 * {@code coalesce=false}, {@code compress-min-size} with compression off, and their like (a lease on a store that
 * offers none, a store budget for the embedded store) were taken silently, and an operator who tuned them believed
 * them applied. Each is now named in the one warning, with the value given and the switch that leaves it idle.
 */
class SettingOfAFeatureSwitchedOffWasNotWarnedOfTest {

    private static final String WARNING = "Response cache settings with no effect (valid, so kept): ";

    static Stream<Arguments> idleSettings() {
        return Stream.of(
                Arguments.of(Map.of(ResponseCacheProperties.COALESCE, "false",
                                ResponseCacheProperties.COALESCE_WAIT, "10s"),
                        "responsecache.coalesce-wait=10s (coalescing is off: responsecache.coalesce=false)"),
                Arguments.of(Map.of(ResponseCacheProperties.COALESCE, "false",
                                ResponseCacheProperties.COALESCE_WAIT, "10s",
                                ResponseCacheProperties.COALESCE_LEASE, "3s"),
                        "responsecache.coalesce-wait=10s (coalescing is off: responsecache.coalesce=false); "
                                + "responsecache.coalesce-lease=3s (coalescing is off: responsecache.coalesce=false)"),
                Arguments.of(Map.of(ResponseCacheProperties.COALESCE_LEASE, "2s"),
                        "responsecache.coalesce-lease=2s (the store 'ehcache' offers no key leases: requests are"
                                + " coalesced per instance)"),
                Arguments.of(Map.of(ResponseCacheProperties.COMPRESS_MIN_SIZE, "2KB"),
                        "responsecache.compress-min-size=2KB (compression is off: responsecache.compress is not"
                                + " set)"),
                Arguments.of(Map.of(ResponseCacheProperties.COMPRESS, "off",
                                ResponseCacheProperties.COMPRESS_MIN_SIZE, "2KB"),
                        "responsecache.compress-min-size=2KB (compression is off: responsecache.compress=off)"),
                Arguments.of(Map.of(ResponseCacheProperties.STORE_BUDGET, "500ms"),
                        "responsecache.store-budget=500ms (the store 'ehcache' answers in memory: its calls are not"
                                + " budgeted)"),
                Arguments.of(Map.of(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100",
                                ResponseCacheProperties.COMPRESS_MIN_SIZE, "2KB"),
                        "responsecache.near-cache.max-entries (the store is 'ehcache', which has no shared tier to"
                                + " keep near copies of); responsecache.compress-min-size=2KB (compression is off:"
                                + " responsecache.compress is not set)"));
    }

    @ParameterizedTest
    @MethodSource("idleSettings")
    void settingOfAFeatureSwitchedOffIsNamedWithItsValueAndTheSwitch(Map<String, Object> given, String named) {
        assertEquals(List.of(WARNING + named), warningsAtStartUp(given));
    }

    static Stream<Map<String, Object>> effectiveSettings() {
        return Stream.of(
                Map.of(ResponseCacheProperties.COALESCE_WAIT, "10s"),
                Map.of(ResponseCacheProperties.COALESCE, "true", ResponseCacheProperties.COALESCE_WAIT, "10s"),
                Map.of(ResponseCacheProperties.COALESCE, "false"),
                Map.of(ResponseCacheProperties.COALESCE_LEASE, "0"),
                Map.of(ResponseCacheProperties.COMPRESS, "gzip", ResponseCacheProperties.COMPRESS_MIN_SIZE, "2KB"),
                Map.of(ResponseCacheProperties.COMPRESS, "off"),
                Map.of(ResponseCacheProperties.ADMISSION, "when-evicting"));
    }

    @ParameterizedTest
    @MethodSource("effectiveSettings")
    void settingThatTakesEffectIsNotWarnedOf(Map<String, Object> given) {
        assertEquals(List.of(), warningsAtStartUp(given));
    }

    /** Admission asked for explicitly of a store that cannot tell when it evicts (Redis; here a test store). */
    @Test
    void admissionOfAStoreThatCannotTellWhenItEvictsIsNamed() {
        try (LogCapture log = LogCapture.of("dev.responsecache");
             ResponseCache cache = ResponseCache.start(new PropertyValues(Map.<String, Object>of(
                     ResponseCacheProperties.STORE, "counting", CountingStoreProvider.READS, new AtomicInteger(),
                     ResponseCacheProperties.ADMISSION, "when-evicting")::get))) {
            assertEquals("counting", cache.settings().storeName());
            assertEquals(List.of(WARNING + "responsecache.admission=when-evicting (the store 'counting' does not"
                    + " tell when it evicts: every miss is stored)"), log.messagesAtLeast(Level.WARNING));
        }
    }

    /** A cache that is off warns of nothing: its one line says it is off, whatever its settings. */
    @Test
    void cacheSwitchedOffWarnsOfNothing() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            assertNull(ResponseCache.start(new PropertyValues(Map.<String, Object>of(
                    ResponseCacheProperties.ENABLED, "false", ResponseCacheProperties.COALESCE, "false",
                    ResponseCacheProperties.COALESCE_WAIT, "10s")::get)));
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING));
        }
    }

    private static List<String> warningsAtStartUp(Map<String, Object> given) {
        try (LogCapture log = LogCapture.of("dev.responsecache");
             ResponseCache cache = ResponseCache.start(new PropertyValues(given::get))) {
            assertEquals("ehcache", cache.settings().storeName());
            return log.messagesAtLeast(Level.WARNING);
        }
    }
}
