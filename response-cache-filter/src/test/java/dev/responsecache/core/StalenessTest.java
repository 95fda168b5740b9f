package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The freshness model as a table: what an entry stored at 0 with a ttl of 60 s may be used for, and for how long. */
class StalenessTest {

    private static CacheEntry entry(long whileRevalidateMillis, long ifErrorMillis) {
        return new CacheEntry("k", 200, List.of(), new byte[0], 0, 60_000, List.of(),
                new StaleWindows(whileRevalidateMillis, ifErrorMillis));
    }

    @ParameterizedTest(name = "swr={0} sie={1} at {2} ms: {3}, keep {4} ms more")
    @CsvSource({
            // swr,   sie,     now,     state,               retained
            "0,       0,       0,       FRESH,               60000",
            "0,       0,       59999,   FRESH,               1",
            "0,       0,       60000,   EXPIRED,             0",
            "30000,   0,       60000,   REVALIDATE,          30000",
            "30000,   0,       89999,   REVALIDATE,          1",
            "30000,   0,       90000,   EXPIRED,             0",
            "0,       600000,  60000,   ERROR_ONLY,          600000",
            "0,       600000,  659999,  ERROR_ONLY,          1",
            "0,       600000,  660000,  EXPIRED,             0",
            "30000,   600000,  59999,   FRESH,               600001",
            "30000,   600000,  60000,   REVALIDATE_OR_ERROR, 600000",
            "30000,   600000,  89999,   REVALIDATE_OR_ERROR, 570001",
            "30000,   600000,  90000,   ERROR_ONLY,          570000",
            "600000,  30000,   90000,   REVALIDATE,          570000",
            "600000,  30000,   660000,  EXPIRED,             0",
            "30000,   30000,   70000,   REVALIDATE_OR_ERROR, 20000",
            "30000,   600000,  9999999, EXPIRED,             0",
    })
    void windowsStartAtTheOriginalExpiryAndTheEntryIsKeptForTheLongerOne(long whileRevalidate, long ifError,
                                                                         long now, Staleness state, long retained) {
        CacheEntry entry = entry(whileRevalidate, ifError);
        assertEquals(state, Staleness.of(entry, now));
        assertEquals(retained, entry.retainedMillis(now));
    }

    @ParameterizedTest
    @CsvSource({
            "FRESH,               false, false",
            "REVALIDATE,          true,  false",
            "REVALIDATE_OR_ERROR, true,  true",
            "ERROR_ONLY,          false, true",
            "EXPIRED,             false, false",
    })
    void whatEachStateAllows(Staleness state, boolean whileRevalidating, boolean onError) {
        assertEquals(whileRevalidating, state.servesWhileRevalidating());
        assertEquals(onError, state.servesOnError());
    }

    @Test
    void oneYearTtlWithOneYearWindowsNeitherOverflowsNorExpiresEarly() {
        long year = CachePolicy.MAX_TTL.toMillis();
        CacheEntry entry = new CacheEntry("k", 200, List.of(), new byte[0], Long.MAX_VALUE - year,
                Long.MAX_VALUE, List.of(), new StaleWindows(year, year));
        assertEquals(Staleness.FRESH, Staleness.of(entry, Long.MAX_VALUE - 1));
        assertEquals(Long.MAX_VALUE, entry.retainedMillis(0));
        assertEquals(year + 1, entry.retainedMillis(Long.MAX_VALUE - 1));
    }

    @Test
    void entriesWithoutWindowsBehaveAsBeforeTheWindowsExisted() {
        CacheEntry entry = new CacheEntry("k", 200, List.of(), new byte[0], 0, 60_000, List.of());
        assertEquals(StaleWindows.NONE, entry.staleWindows());
        assertEquals(entry.remainingMillis(30_000), entry.retainedMillis(30_000));
        assertEquals(Staleness.EXPIRED, Staleness.of(entry, 60_000));
    }

    @ParameterizedTest(name = "declared ({0}, {1}) with defaults (30 s, 600 s) gives ({2} ms, {3} ms)")
    @CsvSource({
            "-1, -1, 30000,    600000",
            "0,  -1, 0,        600000",
            "10, 0,  10000,    0",
            "31536000, 31536000, 31536000000, 31536000000",
    })
    void declaredSecondsOverrideTheConfiguredDefaultsOneByOne(long whileRevalidate, long ifError,
                                                              long expectedRevalidate, long expectedError) {
        StaleWindows windows = new StaleSeconds(whileRevalidate, ifError)
                .resolve("m()", new StaleWindows(30_000, 600_000));
        assertEquals(new StaleWindows(expectedRevalidate, expectedError), windows);
    }

    @ParameterizedTest
    @CsvSource({
            "-2, 0,        'm(): staleWhileRevalidate must be between 0 and 31536000 seconds, was -2'",
            "0,  31536001, 'm(): staleIfError must be between 0 and 31536000 seconds, was 31536001'",
    })
    void badDeclaredWindowFailsNamingTheOwnerAndTheValue(long whileRevalidate, long ifError, String message) {
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class,
                () -> new StaleSeconds(whileRevalidate, ifError).resolve("m()", StaleWindows.NONE));
        assertEquals(message, e.getMessage());
    }

    @Test
    void configuredDefaultWindowsAreDurationsOrZero() {
        CacheSettings settings = CacheSettings.from(new PropertyValues(Map.of(
                ResponseCacheProperties.STALE_WHILE_REVALIDATE, "30s",
                ResponseCacheProperties.STALE_IF_ERROR, "0")::get));
        assertEquals(new StaleWindows(30_000, 0), settings.staleWindows());
        assertEquals(StaleWindows.NONE, CacheSettings.from(new PropertyValues(Map.<String, Object>of()::get))
                .staleWindows());
    }

    @ParameterizedTest
    @CsvSource({
            "responsecache.stale-while-revalidate, -5s,       'Invalid value for responsecache.stale-while-revalidate: "
                    + "''-5s'' (expected 0 or a positive duration such as 250ms or 2s)'",
            "responsecache.stale-if-error,         10 minutes, 'Invalid value for responsecache.stale-if-error: "
                    + "''10 minutes'' (expected 0 or a positive duration such as 250ms or 2s)'",
            "responsecache.stale-if-error,         31536001s, 'Invalid value for responsecache.stale-if-error: "
                    + "''31536001s'' (expected a duration of at most 365 days, or 0)'",
    })
    void badConfiguredWindowFailsAtStartUpNamingThePropertyAndTheValue(String name, String value, String message) {
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class,
                () -> CacheSettings.from(new PropertyValues(Map.of(name, value)::get)));
        assertEquals(message, e.getMessage());
    }
}
