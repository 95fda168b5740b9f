package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.CacheLoggerAtInfo;
import dev.responsecache.testing.LogCapture;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A cache opened again with a setting another component added (the JAX-RS feature joining a servlet filter's cache)
 * warned a second time that its store offers no eviction feed for the near tier: a configuration the start-up had
 * already reported, said once per store like the settings with no effect.
 */
@ExtendWith(CacheLoggerAtInfo.class)
class MissingEvictionFeedWarnedAgainWhenTheCacheReopenedTest {

    @Test
    void missingFeedIsWarnedOfOnceAcrossTheReopen() {
        // The test class path's store without a feed (dev.responsecache.testing.CountingStoreProvider).
        Map<String, Object> given = new HashMap<>(Map.of(ResponseCacheProperties.STORE, "counting",
                ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100"));
        try (LogCapture log = LogCapture.of("dev.responsecache");
             ResponseCache opened = ResponseCache.start(new PropertyValues(given::get))) {
            given.put(ResponseCacheProperties.MAX_BODY_SIZE, "512KB");
            try (ResponseCache reopened = ResponseCache.reopen(new PropertyValues(given::get), "/shop", opened)) {
                assertEquals(524288, reopened.settings().maxBodyBytes());
                List<String> lines = log.messagesAtLeast(Level.INFO);
                assertEquals(1, lines.stream().filter(line -> line.startsWith("Response cache reopened")).count(),
                        lines.toString());
                assertEquals(1, lines.stream().filter(line -> line.contains("no eviction feed")).count(),
                        lines.toString());
            }
        }
    }
}
