package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.TestServer;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * A near tier setting with the embedded store (which has no shared tier to keep near copies of) was silently
 * ignored. Valid settings of a part the store in use does not have still start the application, since one
 * configuration may serve environments with different stores, and one warning at start-up names them and why.
 */
class NearCacheWithEhcacheStoreIsIgnoredSilentlyTest {

    @Test
    void validSettingsOfUnusedPartsStartWithOneWarningNamingThem() {
        ResourceConfig app = new ResourceConfig(StartupValidationTest.Cached.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "ehcache")
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100")
                .property(ResponseCacheProperties.REDIS_URI, "redis://user:secret@cache.internal:6379/2")
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "150ms");
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer server = JerseyOnJetty.start(app, Map.of())) {
            server.getText("/api/cached");
            assertEquals("HIT", server.getText("/api/cached").headers().firstValue("X-Cache").orElseThrow());
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            String warning = warnings.get(0);
            for (String key : List.of(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES,
                    ResponseCacheProperties.REDIS_URI, ResponseCacheProperties.REDIS_READ_TIMEOUT)) {
                assertTrue(warning.contains(key), warning);
            }
            assertTrue(warning.contains("the store is 'ehcache'"), warning);
            assertTrue(!warning.contains("secret"), warning);
        }
    }

    @Test
    void everySettingInUseLogsNoWarning() {
        ResourceConfig app = new ResourceConfig(StartupValidationTest.Cached.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "100");
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer server = JerseyOnJetty.start(app, Map.of())) {
            assertEquals("cached", server.getText("/api/cached").body());
            assertEquals(List.of(), log.messagesAtLeast(Level.WARNING));
        }
    }
}
