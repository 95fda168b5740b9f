package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidationException;
import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;

import java.net.http.HttpResponse;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/**
 * The optional health endpoint on a real Jetty: it says whether the store answers and what failed last, and stays
 * 200 while the store is down (the application still serves, uncached) unless declared as a store probe.
 */
class HealthServletTest {

    private static TestServer start(String store, String failWhenUnreachable) {
        TestServer server = TestServer.servlets();
        server.context().setInitParameter(ResponseCacheProperties.STORE, store);
        server.context().addServlet(new ServletHolder("reports", new ReportServlet()), "/reports/*");
        ServletHolder health = new ServletHolder("health", new ResponseCacheHealthServlet());
        if (failWhenUnreachable != null) {
            health.setInitParameter(ResponseCacheHealthServlet.FAIL_WHEN_STORE_UNREACHABLE, failWhenUnreachable);
        }
        server.context().addServlet(health, "/health/cache");
        ResponseCacheFilter filter = new ResponseCacheFilter();
        FilterHolder holder = new FilterHolder(filter);
        holder.setInitParameter("ttl", "60");
        server.context().addFilter(holder, "/reports/*", EnumSet.of(DispatcherType.REQUEST));
        return server.start();
    }

    @Test
    void healthyEmbeddedStoreIsReachableWithoutBreakerOrFault() {
        try (TestServer server = start("ehcache", null)) {
            server.getText("/reports/utf8");
            HttpResponse<String> health = server.getText("/health/cache");
            assertEquals(200, health.statusCode());
            assertEquals("application/json", health.headers().firstValue("Content-Type").orElseThrow()
                    .split(";")[0]);
            assertEquals("{\"status\":\"UP\",\"store\":{\"reachable\":true,\"breaker\":\"none\",\"failingCalls\":0,"
                    + "\"lastFault\":null},\"invalidation\":{\"failingEvictions\":0,\"lastFault\":null,"
                    + "\"rememberedEvictions\":0}}",
                    health.body());
        }
    }

    @Test
    void failingStoreIsReportedUnreachableWithItsLastFaultWhileTheProbeStaysUp() {
        try (TestServer server = start("faulty", null)) {
            assertEquals(200, server.getText("/reports/utf8").statusCode());
            HttpResponse<String> health = server.getText("/health/cache");
            assertEquals(200, health.statusCode(), "a store outage must not fail the application's readiness");
            assertTrue(health.body().contains("\"reachable\":false"), health.body());
            assertTrue(health.body().contains("\"lastFault\":\"java.lang.NoClassDefFoundError: a store client class\""),
                    health.body());
            ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) server.context().getServletContext()
                    .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
            assertThrows(ResponseCacheInvalidationException.class, invalidator::evictAll);
            String afterEviction = server.getText("/health/cache").body();
            assertTrue(afterEviction.contains("\"invalidation\":{\"failingEvictions\":1,\"lastFault\":\""),
                    afterEviction);
        }
    }

    @Test
    void declaredStoreProbeAnswers503WhileTheStoreFails() {
        try (TestServer server = start("faulty", "true")) {
            server.getText("/reports/utf8");
            assertEquals(503, server.getText("/health/cache").statusCode());
        }
    }
}
