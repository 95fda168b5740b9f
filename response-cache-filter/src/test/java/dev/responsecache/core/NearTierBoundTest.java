package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The near tier in front of a shared store is bounded by entries or, safer for the heap, by bytes; not by both. */
class NearTierBoundTest {

    private static final Map<String, Object> REDIS = Map.of(ResponseCacheProperties.STORE, "redis",
            // Nothing listens there: the store opens without a connection, and nothing here calls it.
            ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:1");

    private static ResponseStore open(Map<String, Object> more) {
        Map<String, Object> all = new java.util.HashMap<>(REDIS);
        all.putAll(more);
        PropertyValues properties = new PropertyValues(all::get);
        return StoreLoader.open(CacheSettings.from(properties), properties);
    }

    @Test
    void nearTierBoundedInBytesTurnsTheTwoLevelCacheOn() {
        try (ResponseStore store = open(Map.of(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE, "8MB"))) {
            assertInstanceOf(TwoLevelStore.class, store);
        }
    }

    @Test
    void nearTierWithBothBoundsFailsTheStartUpNamingTheProperty() {
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class, () -> open(Map.of(
                ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE, "8MB",
                ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "1000")));
        assertTrue(e.getMessage().contains("responsecache.near-cache.heap-size") && e.getMessage().contains("8MB"),
                e.getMessage());
    }
}
