package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ReportServlet;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The logging contract, through SLF4J into the application's backend (here JUL, by slf4j-jdk14): one INFO line at
 * start-up, nothing at INFO or above per request while the cache is healthy, a DEBUG line per decision, and one WARN
 * per fault episode however many requests meet it.
 */
class LogLevelContractTest {

    private static final Logger LOGGER = Logger.getLogger("dev.responsecache");
    private Level previous;

    @BeforeEach
    void logDebug() {
        previous = LOGGER.getLevel();
        LOGGER.setLevel(Level.FINE);
    }

    @AfterEach
    void restore() {
        LOGGER.setLevel(previous);
    }

    private static List<String> atLeastInfo(LogCapture logs) {
        return logs.messagesAtLeast(Level.INFO);
    }

    @Test
    void healthyJaxrsAppLogsOneInfoAtStartUpAndOnlyDebugPerRequest() {
        try (LogCapture logs = LogCapture.of("dev.responsecache")) {
            ResourceConfig app = new ResourceConfig().register(new CountingResource())
                    .register(ResponseCacheFeature.class);
            try (TestServer server = TestServer.jersey(app).start()) {
                List<String> startUp = atLeastInfo(logs);
                assertEquals(1, startUp.size(), startUp.toString());
                assertTrue(startUp.get(0).startsWith("Response cache on: "), startUp.get(0));
                server.getText("/api/items/1");
                server.getText("/api/items/1");
                server.getText("/api/items/1", "Authorization", "Token alice");
                server.getText("/api/set-cookie");
                assertEquals(startUp, atLeastInfo(logs), "nothing per request at INFO or above");
                List<String> debug = logs.messagesAtLeast(Level.FINE);
                assertTrue(debug.stream().anyMatch(m -> m.contains("CountingResource#item: HIT (fresh)")),
                        debug::toString);
                assertTrue(debug.stream().anyMatch(m -> m.contains("CountingResource#item: BYPASS (credentials)")),
                        debug::toString);
                assertTrue(debug.stream().anyMatch(m -> m.contains("not stored (set-cookie)")), debug::toString);
            }
        }
    }

    @Test
    void failingStoreBehindTheServletFilterLogsOneWarningForManyRequests() {
        try (LogCapture logs = LogCapture.of("dev.responsecache");
             Container.Running app = Container.JETTY.start(new ServletApp()
                     .contextParam(ResponseCacheProperties.STORE, "faulty")
                     .filter("reports-cache", new ResponseCacheFilter(), "/reports/*", "ttl", "60")
                     .servlet("reports", new ReportServlet(), "/reports/*"))) {
            for (int i = 0; i < 5; i++) {
                assertEquals(200, app.get("/reports/utf8").statusCode());
            }
            List<String> warnings = logs.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.size(), warnings.toString());
            List<String> info = atLeastInfo(logs);
            assertEquals(2, info.size(), "the start-up line and the warning: " + info);
        }
    }
}
