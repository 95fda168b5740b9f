package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.CacheLoggerAtInfo;
import dev.responsecache.testing.LogCapture;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A store of the application's own with a near tier in front of it and no eviction feed: its "offers no eviction
 * feed" warning was logged while the store opened, above the "Response cache on" line that names the store and the
 * near tier (the ordering {@code ResponseStore.started()} gives the Redis store's warnings).
 */
@ExtendWith(CacheLoggerAtInfo.class)
class StoreWithoutEvictionFeedWarnedAboveTheStartUpLineTest {

    @Test
    void startUpLineComesFirstThenTheMissingFeedWarning() {
        startUpLineThenWarningNaming(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100");
    }

    /** The warning named near-cache.max-entries whichever setting made the near tier. */
    @Test
    void nearTierBoundedInBytesWasWarnedOfAsBoundedByEntries() {
        startUpLineThenWarningNaming(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE, "1MB");
    }

    private static void startUpLineThenWarningNaming(String nearBound, String value) {
        // The test class path's store without a feed (dev.responsecache.testing.CountingStoreProvider).
        Map<String, Object> given = Map.of(ResponseCacheProperties.STORE, "counting", nearBound, value);
        try (LogCapture log = LogCapture.of("dev.responsecache");
             ResponseCache cache = ResponseCache.start(new PropertyValues(given::get))) {
            assertEquals("counting", cache.settings().storeName());
            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertTrue(lines.size() >= 2, lines.toString());
            assertTrue(lines.get(0).startsWith("Response cache on: store=counting"), lines.toString());
            assertTrue(lines.get(1).startsWith("The store 'counting' offers no eviction feed"), lines.toString());
            assertTrue(lines.get(1).contains("near tier (" + nearBound + ")"), lines.toString());
            assertEquals(1, lines.stream().filter(line -> line.contains("no eviction feed")).count(),
                    lines.toString());
        }
    }
}
