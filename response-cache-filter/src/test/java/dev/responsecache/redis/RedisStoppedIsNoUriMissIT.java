package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stopped Redis was reported as {@code Cache-Status: ResponseCache; fwd=uri-miss}, as if the store had been asked
 * and held nothing. It was not asked (a connection fault, then the open breaker): RFC 9211 {@code fwd=bypass}, with
 * the reason, on both adapters, through the fault and the breaker alike.
 */
class RedisStoppedIsNoUriMissIT {

    private static final String UNAVAILABLE = "ResponseCache; fwd=bypass; detail=store-unavailable";

    private final String prefix = RedisApps.uniquePrefix();
    private final LogCapture log = LogCapture.of("dev.responsecache");
    private RedisTestServer redis;
    private TestServer app;

    @AfterEach
    void stop() {
        log.close();
        if (app != null) {
            app.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void jaxrsSaysBypassStoreUnavailableWhileRedisIsStopped() {
        redis = RedisTestServer.started();
        app = RedisApps.start(new RedisResource(), redis.uri(), prefix);
        assertStoppedRedisIsBypassed(path -> app.getText(path), "/api/items/1");
    }

    @Test
    void servletFilterSaysBypassStoreUnavailableWhileRedisIsStopped() {
        redis = RedisTestServer.started();
        TestServer server = TestServer.servlets();
        server.context().setInitParameter(ResponseCacheProperties.STORE, "redis");
        server.context().setInitParameter(ResponseCacheProperties.REDIS_URI, redis.uri());
        server.context().setInitParameter(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        server.context().setInitParameter(ResponseCacheProperties.REDIS_COOL_DOWN, "200ms");
        server.context().setInitParameter(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        FilterHolder filter = new FilterHolder(new ResponseCacheFilter());
        filter.setInitParameter("ttl", "600");
        server.context().addFilter(filter, "/reports/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new ReportServlet()), "/reports/*");
        app = server.start();
        assertStoppedRedisIsBypassed(path -> app.getText(path), "/reports/1");
    }

    private void assertStoppedRedisIsBypassed(Function<String, HttpResponse<String>> get, String path) {
        assertEquals("ResponseCache; fwd=uri-miss", cacheStatus(get.apply(path)), "Redis up: asked, and a miss");
        assertTrue(cacheStatus(get.apply(path)).startsWith("ResponseCache; hit"));
        log.clear();

        redis.stop();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = get.apply(path);
            assertEquals(200, response.statusCode());
            assertEquals("MISS", response.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(UNAVAILABLE, cacheStatus(response), "request " + i);
        }
        List<String> warnings = log.messagesAtLeast(Level.WARNING);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("judged unhealthy")),
                "the breaker opened, so both the failing reads and the reads it kept away were seen: " + warnings);
    }

    private static String cacheStatus(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElseThrow();
    }

    /** GET answers a line naming the path. */
    private static final class ReportServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("report " + request.getPathInfo());
        }
    }
}
