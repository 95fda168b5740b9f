package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.CacheLoggerAtInfo;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.TestServer;

import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With the servlet filter and the JAX-RS feature in one application and Redis unreachable at start-up, the one outage
 * was warned of twice: the filter opened the cache and its store warned, then the Jersey servlet's property reopened
 * the cache and the new store warned again. The reopened store now carries the outage over: one warning, and the
 * application still answers (uncached). With and without the near tier in front of Redis.
 */
@ExtendWith(CacheLoggerAtInfo.class)
class UnreachableRedisWarnedTwiceWhenTheJaxrsFeatureReopenedTheCacheTest {

    @TempDir
    Path webapp;

    @ParameterizedTest
    @ValueSource(strings = {"0", "100"})
    void oneOutageIsOneWarningAcrossTheReopen(String nearEntries) {
        String contextParams = """
                  <context-param><param-name>responsecache.store</param-name><param-value>redis</param-value></context-param>
                  <context-param><param-name>responsecache.redis.uri</param-name><param-value>redis://127.0.0.1:1/0</param-value></context-param>
                  <context-param><param-name>responsecache.near-cache.max-entries</param-name><param-value>%s</param-value></context-param>
                  <filter>""".formatted(nearEntries);
        // Port 1 on the loopback: nothing listens there, so connecting is refused at once.
        String webXml = WebApps.filterWebXml("ttl", "60").replaceFirst("  <filter>", contextParams)
                .replace("</web-app>", WebApps.JERSEY_SERVLET_RAISING_MAX_BODY_SIZE);
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer server = WebApps.startWithWebXml(webapp.resolve("app"), webXml)) {
            assertEquals(200, server.getText("/api/items/1").statusCode());
            assertEquals(200, server.getText("/reports/1").statusCode());
            List<String> lines = log.messagesAtLeast(Level.INFO);
            assertEquals(1, lines.stream().filter(line -> line.startsWith("Response cache reopened for application"))
                    .count(), lines::toString);
            assertEquals(1, lines.stream().filter(line -> line.startsWith("Redis at 127.0.0.1:1 judged unhealthy"))
                    .count(), lines::toString);
            // Leases are on (coalesce-lease defaults to half of coalesce-wait): their subscription, started before the
            // reopened store takes the outage over, reports a refused connection to the breaker, not a warning of its own.
            assertEquals(0, lines.stream().filter(line -> line.startsWith("Redis lease releases from")).count(),
                    lines::toString);
            // The feeds' attempts run on their own threads (OutageWarnedAgainByTheStoreOfAReopenedCacheTest waits for them).
            assertTrue(lines.stream().filter(line -> line.startsWith("Redis eviction feed from")).count() <= 1,
                    lines::toString);
        }
    }
}
