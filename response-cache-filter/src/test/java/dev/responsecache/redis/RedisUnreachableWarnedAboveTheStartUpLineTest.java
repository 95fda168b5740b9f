package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.CacheLoggerAtInfo;
import dev.responsecache.testing.LogCapture;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With Redis unreachable at start-up, its "judged unhealthy" warning was logged while the store opened, above the
 * "Response cache on" line that says Redis is the store: an operator reads what was configured first, then what is
 * wrong with it. With and without the near tier in front of Redis.
 */
@ExtendWith(CacheLoggerAtInfo.class)
class RedisUnreachableWarnedAboveTheStartUpLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "100"})
    void startUpLineComesFirstThenTheUnreachableRedisWarning(String nearEntries) {
        Map<String, Object> given = new HashMap<>(Map.of(ResponseCacheProperties.STORE, "redis",
                // Port 1 on the loopback: nothing listens there, so connecting is refused at once.
                ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:1/0",
                ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, nearEntries));
        try (LogCapture log = LogCapture.of("dev.responsecache");
             ResponseCache cache = ResponseCache.start(new PropertyValues(given::get))) {
            assertEquals("redis", cache.settings().storeName());
            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertTrue(lines.size() >= 2, lines.toString());
            assertTrue(lines.get(0).startsWith("Response cache on: store=redis"), lines.toString());
            assertTrue(lines.get(1).startsWith("Redis at 127.0.0.1:1 judged unhealthy"), lines.toString());
            assertEquals(1, lines.stream().filter(line -> line.contains("judged unhealthy")).count(),
                    lines.toString());
        }
    }
}
