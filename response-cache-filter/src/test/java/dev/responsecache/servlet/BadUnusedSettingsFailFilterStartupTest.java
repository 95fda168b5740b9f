package dev.responsecache.servlet;

import static dev.responsecache.servlet.WebApps.assertDeploymentFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.TestServer;

import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The servlet filter's start-up, from a real {@code web.xml}: a bad Redis timeout with the embedded store, or any bad
 * setting with the cache off, passed the deployment because those settings were never read there.
 */
class BadUnusedSettingsFailFilterStartupTest {

    @TempDir
    Path webapp;

    @Test
    void badRedisTimeoutWithEhcacheStoreFailsTheDeployment() {
        assertDeploymentFails(webapp, contextParams(ResponseCacheProperties.REDIS_READ_TIMEOUT, "soon"),
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "soon");
    }

    @Test
    void badNearTierBoundWithEhcacheStoreFailsTheDeployment() {
        assertDeploymentFails(webapp, contextParams(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE, "lots"),
                ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE, "lots");
    }

    @Test
    void badRedisTimeoutWithTheCacheOffFailsTheDeployment() {
        assertDeploymentFails(webapp, contextParams(ResponseCacheProperties.ENABLED, "false",
                        ResponseCacheProperties.STORE, "redis",
                        ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:6379",
                        ResponseCacheProperties.REDIS_CONNECT_TIMEOUT, "quick"),
                ResponseCacheProperties.REDIS_CONNECT_TIMEOUT, "quick");
    }

    @Test
    void badTagHeaderWithTheCacheOffFailsTheDeployment() {
        assertDeploymentFails(webapp, contextParams(ResponseCacheProperties.ENABLED, "false",
                ResponseCacheProperties.TAG_HEADER, "X Tags"), ResponseCacheProperties.TAG_HEADER, "X Tags");
    }

    @Test
    void validRedisSettingsWithEhcacheStoreDeployWithOneWarning() {
        String webXml = contextParams(ResponseCacheProperties.REDIS_URI, "redis://cache.internal:6379",
                ResponseCacheProperties.REDIS_POOL_SIZE, "16");
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer server = WebApps.startWithWebXml(webapp.resolve("shared-config"), webXml)) {
            server.getText("/reports/page");
            assertEquals("HIT", server.getText("/reports/page").headers().firstValue("X-Cache").orElseThrow());
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(ResponseCacheProperties.REDIS_POOL_SIZE + ", "
                    + ResponseCacheProperties.REDIS_URI + " (the store is 'ehcache')"), warnings.get(0));
        }
    }

    /** The one-filter web.xml with these context-params. */
    private static String contextParams(String... nameValuePairs) {
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            params.append("<context-param><param-name>").append(nameValuePairs[i])
                    .append("</param-name><param-value>").append(nameValuePairs[i + 1])
                    .append("</param-value></context-param>\n  ");
        }
        return WebApps.filterWebXml("ttl", "60").replace("<filter>", params + "<filter>");
    }
}
