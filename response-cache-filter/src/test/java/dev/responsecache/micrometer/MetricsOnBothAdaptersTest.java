package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.jaxrs.CountingResource;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ReportServlet;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.BiFunction;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * The meters after a known sequence of requests (miss, hit, bypass, refusal; then a failing store), on a real Jetty
 * with Jersey and with the servlet filter, read from the registry the application handed in.
 */
class MetricsOnBothAdaptersTest {

    private static double requests(MeterRegistry registry, String route, String outcome, String reason) {
        Counter counter = registry.find(MicrometerEvents.REQUESTS)
                .tags("route", route, "outcome", outcome, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double counter(MeterRegistry registry, String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long timed(MeterRegistry registry, String operation, String result) {
        Timer timer = registry.find(MicrometerEvents.STORE_OPERATIONS)
                .tags("operation", operation, "result", result).timer();
        return timer == null ? 0 : timer.count();
    }

    /** Miss, hit, bypass (credentials), refusal (Set-Cookie), against either adapter's {@code get}. */
    private static void knownSequence(BiFunction<String, String[], Integer> get, String cached, String cookie) {
        assertEquals(200, get.apply(cached, new String[0]));
        assertEquals(200, get.apply(cached, new String[0]));
        assertEquals(200, get.apply(cached, new String[] {"Authorization", "Token alice"}));
        assertEquals(200, get.apply(cookie, new String[0]));
    }

    /** A filter is one route for all it covers: both paths count under its name. */
    private static void assertKnownSequenceCounted(MeterRegistry registry, String route, String cookieRoute) {
        boolean oneRoute = route.equals(cookieRoute);
        assertEquals(oneRoute ? 2 : 1, requests(registry, route, "miss", "uri-miss"));
        assertEquals(1, requests(registry, route, "hit", "fresh"));
        assertEquals(1, requests(registry, route, "bypass", "credentials"));
        assertEquals(1, requests(registry, cookieRoute, "miss", "uri-miss") - (oneRoute ? 1 : 0));
        assertEquals(1, counter(registry, MicrometerEvents.STORES, "route", route), "the Set-Cookie response is not");
        assertEquals(1, counter(registry, MicrometerEvents.REFUSALS, "route", cookieRoute, "reason", "set-cookie"));
        assertEquals(3, timed(registry, "get", "success"), "the miss, the hit and the refused miss read the store");
        assertEquals(1, timed(registry, "put", "success"));
        assertEquals(0, timed(registry, "get", "failure"));
    }

    @Test
    void jaxrsCountsMissHitBypassAndRefusalPerResourceMethod() {
        MeterRegistry registry = new SimpleMeterRegistry();
        ResourceConfig app = new ResourceConfig().register(new CountingResource())
                .register(ResponseCacheFeature.class).property(ResponseCacheProperties.METER_REGISTRY, registry);
        try (TestServer server = TestServer.jersey(app).start()) {
            knownSequence((path, headers) -> server.getText("/api/" + path, headers).statusCode(),
                    "items/1", "set-cookie");
            assertKnownSequenceCounted(registry, "CountingResource#item", "CountingResource#setCookie");
            assertEquals(1, registry.get(MicrometerEvents.ENTRIES).tag("tier", "heap").gauge().value(),
                    "the embedded store's heap tier holds the one stored response");
            assertTrue(registry.get(MicrometerEvents.BYTES).tag("tier", "heap").gauge().value() > 0);
            assertEquals(0, registry.get(MicrometerEvents.EVICTIONS).tag("tier", "heap").functionCounter().count());
        }
    }

    @Test
    void servletFilterCountsMissHitBypassAndRefusalUnderTheFilterName() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .filter("reports-cache", new ResponseCacheFilter(), "/reports/*", "ttl", "60")
                .servlet("reports", new ReportServlet(), "/reports/*"))) {
            knownSequence((path, headers) -> app.get("/reports/" + path, headers).statusCode(), "utf8", "cookie");
            assertKnownSequenceCounted(registry, "reports-cache", "reports-cache");
        }
    }

    /** A response that created a session said {@code detail=session} on the miss, and no refusal was counted. */
    @Test
    void responseThatCreatedASessionIsCountedAsARefusalByTheServletFilter() {
        for (Container container : Container.values()) {
            MeterRegistry registry = new SimpleMeterRegistry();
            try (Container.Running app = container.start(new ServletApp()
                    .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                    .filter("reports-cache", new ResponseCacheFilter(), "/reports/*", "ttl", "60")
                    .servlet("reports", new ReportServlet(), "/reports/*"))) {
                HttpResponse<String> response = app.get("/reports/session");
                assertEquals("ResponseCache; fwd=uri-miss; detail=session",
                        response.headers().firstValue("Cache-Status").orElse("none"), container.name());
                assertEquals(1, counter(registry, MicrometerEvents.REFUSALS, "route", "reports-cache",
                        "reason", "session"), container.name());
            }
        }
    }

    @Test
    void failingStoreIsCountedByOperationAndExceptionOnBothAdapters() {
        MeterRegistry jaxrs = new SimpleMeterRegistry();
        ResourceConfig config = new ResourceConfig().register(new CountingResource())
                .register(ResponseCacheFeature.class).property(ResponseCacheProperties.METER_REGISTRY, jaxrs)
                .property(ResponseCacheProperties.STORE, "faulty");
        try (TestServer server = TestServer.jersey(config).start()) {
            assertEquals(200, server.getText("/api/items/1").statusCode());
            assertEquals(200, server.getText("/api/items/1").statusCode());
            assertFailuresCounted(jaxrs, "CountingResource#item");
        }
        MeterRegistry servlet = new SimpleMeterRegistry();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .contextParam(ResponseCacheProperties.STORE, "faulty")
                .attribute(ResponseCacheProperties.METER_REGISTRY, servlet)
                .filter("reports-cache", new ResponseCacheFilter(), "/reports/*", "ttl", "60")
                .servlet("reports", new ReportServlet(), "/reports/*"))) {
            assertEquals(200, app.get("/reports/utf8").statusCode());
            assertEquals(200, app.get("/reports/utf8").statusCode());
            assertFailuresCounted(servlet, "reports-cache");
        }
    }

    /** A failing store's requests said {@code fwd=uri-miss}, as if the store had been asked and held nothing. */
    @Test
    void failingStoreIsReportedAsBypassStoreUnavailableNotUriMissOnBothAdapters() {
        String unavailable = "ResponseCache; fwd=bypass; detail=store-unavailable";
        ResourceConfig config = new ResourceConfig().register(new CountingResource())
                .register(ResponseCacheFeature.class).property(ResponseCacheProperties.STORE, "faulty");
        try (TestServer server = TestServer.jersey(config).start()) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> response = server.getText("/api/items/1");
                assertEquals(200, response.statusCode());
                assertEquals(unavailable, response.headers().firstValue("Cache-Status").orElseThrow());
            }
        }
        for (Container container : Container.values()) {
            try (Container.Running app = container.start(new ServletApp()
                    .contextParam(ResponseCacheProperties.STORE, "faulty")
                    .filter("reports-cache", new ResponseCacheFilter(), "/reports/*", "ttl", "60")
                    .servlet("reports", new ReportServlet(), "/reports/*"))) {
                for (int i = 0; i < 2; i++) {
                    HttpResponse<String> response = app.get("/reports/utf8");
                    assertEquals(200, response.statusCode(), container.name());
                    assertEquals(unavailable, response.headers().firstValue("Cache-Status").orElseThrow(),
                            container.name());
                }
            }
        }
    }

    private static void assertFailuresCounted(MeterRegistry registry, String route) {
        assertEquals(2, requests(registry, route, "bypass", "store-unavailable"), "not asked, so no miss");
        assertEquals(0, requests(registry, route, "miss", "uri-miss"));
        assertEquals(2, counter(registry, MicrometerEvents.STORE_FAILURES,
                "operation", "get", "exception", "IllegalStateException"));
        assertEquals(2, counter(registry, MicrometerEvents.STORE_FAILURES,
                "operation", "put", "exception", "NoClassDefFoundError"));
        assertEquals(2, timed(registry, "get", "failure"));
        assertEquals(0, counter(registry, MicrometerEvents.STORES, "route", route), "a failed put stored nothing");
    }

    @Test
    void evictionsAndInvalidationMarksAreTimedLikeTheOtherStoreCalls() {
        MeterRegistry registry = new SimpleMeterRegistry();
        ResourceConfig app = new ResourceConfig().register(new CountingResource())
                .register(ResponseCacheFeature.class).property(ResponseCacheProperties.METER_REGISTRY, registry);
        try (TestServer server = TestServer.jersey(app).start()) {
            assertEquals(200, server.getText("/api/items/1").statusCode());
            assertTrue(timed(registry, "mark", "success") >= 1, "the miss took an invalidation mark");
            ResponseCache cache = ResponseCache.start(new PropertyValues(
                    Map.<String, Object>of(ResponseCacheProperties.METER_REGISTRY, registry)::get));
            try {
                cache.invalidator().evictTags("products");
                cache.invalidator().evictAll();
                cache.evictQuietly(java.util.Set.of("orders"));
            } finally {
                cache.close();
            }
            assertEquals(3, timed(registry, "evict", "success"));
            assertEquals(0, timed(registry, "evict", "failure"));
        }
    }

    @Test
    void meterRegistryOfAnotherTypeFailsStartUpNamingThePropertyAndTheValue() {
        Map<String, Object> properties = Map.of(ResponseCacheProperties.METER_REGISTRY, "prometheus");
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class,
                () -> ResponseCache.start(new PropertyValues(properties::get)));
        assertTrue(e.getMessage().contains(ResponseCacheProperties.METER_REGISTRY + ": 'prometheus'"), e.getMessage());
    }
}
