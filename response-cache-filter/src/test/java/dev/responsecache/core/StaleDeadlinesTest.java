package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The stale-if-error deadlines' timer: configuration, and no thread left once the cache is closed. */
class StaleDeadlinesTest {

    @Test
    void deadlineThreadsStopWhenTheCacheCloses() throws Exception {
        Map<String, Object> given = Map.of(ResponseCacheProperties.STALE_IF_ERROR_DEADLINE, "2s");
        ResponseCache cache = ResponseCache.start(new PropertyValues(given::get));
        CountDownLatch fired = new CountDownLatch(1);
        try {
            assertEquals(2000, cache.deadlines().millis(-1), "the configured default");
            assertEquals(0, cache.deadlines().millis(0), "none");
            assertEquals(3000, cache.deadlines().millis(3), "the method's own");
            cache.deadlines().schedule(fired::countDown, 1);
            assertTrue(fired.await(30, TimeUnit.SECONDS), "the deadline fired");
            // Armed but never reached: closing must not wait for it, nor leave its thread.
            cache.deadlines().schedule(() -> { }, TimeUnit.DAYS.toMillis(1));
            assertTrue(cache.deadlines().anyThreadAlive());
        } finally {
            cache.close();
        }
        assertFalse(cache.deadlines().anyThreadAlive(), "a deadline thread outlived its cache's close");
        assertNull(cache.deadlines().schedule(() -> { }, 1), "a closed cache arms nothing");
    }

    @Test
    void noDeadlineStartsNoThread() {
        StaleDeadlines deadlines = StaleDeadlines.from(new PropertyValues(name -> null));
        assertEquals(0, deadlines.millis(-1));
        deadlines.close();
        assertNull(deadlines.schedule(() -> { }, 1));
    }

    @Test
    void badDeadlinesFailTheStartUpNamingTheValue() {
        ResponseCacheConfigException property = assertThrows(ResponseCacheConfigException.class,
                () -> StaleDeadlines.from(new PropertyValues(
                        Map.of(ResponseCacheProperties.STALE_IF_ERROR_DEADLINE, "2d")::get)));
        assertTrue(property.getMessage().contains(ResponseCacheProperties.STALE_IF_ERROR_DEADLINE)
                && property.getMessage().contains("2d"), property.getMessage());
        ResponseCacheConfigException tooLong = assertThrows(ResponseCacheConfigException.class,
                () -> StaleDeadlines.from(new PropertyValues(
                        Map.of(ResponseCacheProperties.STALE_IF_ERROR_DEADLINE, "90000s")::get)));
        assertTrue(tooLong.getMessage().contains("90000s"), tooLong.getMessage());
        ResponseCacheConfigException annotation = assertThrows(ResponseCacheConfigException.class,
                () -> ErrorFallback.checkedDeadline("Res#get", -2));
        assertTrue(annotation.getMessage().startsWith("Res#get: staleIfErrorDeadline"), annotation.getMessage());
    }
}
