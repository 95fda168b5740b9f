package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.CacheLoggerAtInfo;
import dev.responsecache.testing.LogCapture;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The one INFO line a cache logs when it starts. */
@ExtendWith(CacheLoggerAtInfo.class)
class StartupLineTest {

    @Test
    void startingCacheLogsOneInfoLineWithTheStoreAndTheKeySettings() {
        Map<String, Object> given = Map.of(ResponseCacheProperties.MAX_BODY_SIZE, "64KB",
                ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "500");
        try (LogCapture log = LogCapture.of("dev.responsecache");
             ResponseCache cache = ResponseCache.start(new PropertyValues(given::get))) {
            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertEquals(1, lines.size(), lines.toString());
            String line = lines.get(0);
            assertTrue(line.startsWith("Response cache on: store=ehcache, max-body-size=65536 bytes"), line);
            assertTrue(line.contains("cacheable-statuses=[200, 203, 204, 300, 301, 308, 404, 410]"), line);
            assertTrue(line.contains("coalesce-wait=PT5S"), line);
            assertTrue(line.contains("status-header=X-Cache"), line);
            assertTrue(line.contains("; set: responsecache.ehcache.max-entries=500, responsecache.max-body-size=64KB"),
                    line);
            assertEquals(64 * 1024, cache.settings().maxBodyBytes());
        }
    }

    @Test
    void switchedOffCacheSaysSoInOneLine() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            assertNull(ResponseCache.start(new PropertyValues(Map.of(ResponseCacheProperties.ENABLED, "false")::get)));
            assertEquals(List.of("Response cache off (responsecache.enabled=false)"), log.messagesAtLeast(Level.INFO));
        }
    }

    @Test
    void startupLineMasksThePasswordOfARedisUri() {
        Map<String, Object> given = new TreeMap<>(Map.of(ResponseCacheProperties.REDIS_URI,
                "redis://default:s3cret@cache.internal:6379/0", ResponseCacheProperties.STORE, "redis"));
        String line = StartupLine.of(CacheSettings.from(new PropertyValues(given::get)), given);
        assertFalse(line.contains("s3cret"), line);
        assertTrue(line.contains("responsecache.redis.uri=redis://***@cache.internal:6379/0"), line);
        assertTrue(line.startsWith("Response cache on: store=redis"), line);
    }

    @Test
    void passwordWithAnUnescapedAtOrSlashIsMaskedWhole() {
        String shown = StartupLine.shown(ResponseCacheProperties.REDIS_URI, "redis://user:p@ss/w@cache:6379/0");
        assertEquals("redis://***@cache:6379/0", shown);
        assertEquals("redis://cache:6379/0", StartupLine.shown(ResponseCacheProperties.REDIS_URI,
                "redis://cache:6379/0"));
    }

    @Test
    void purgeTokenIsNeverShownAndAShortOneFailsNamingItsLengthOnly() {
        assertEquals("***", StartupLine.shown(ResponseCacheProperties.PURGE_TOKEN, "purge-0123456789abcdef"));
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class, () -> ResponseCache.start(
                new PropertyValues(Map.of(ResponseCacheProperties.PURGE_TOKEN, "short-secret")::get)));
        assertTrue(e.getMessage().contains(ResponseCacheProperties.PURGE_TOKEN), e.getMessage());
        assertFalse(e.getMessage().contains("short-secret"), e.getMessage());
    }
}
