package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.logging.Level;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * A stale-while-revalidate refresh that failed (run after its stale answer was sent) was only logged, once and then
 * in a summary a minute: no meter counted it, so an endpoint whose refreshes all failed showed on a dashboard as
 * stale answers and nothing else. Each failure is now counted as {@code responsecache.refresh.failures}, by route and
 * by what the application threw: for a filtered servlet (ttl and header-driven refresh) and a JAX-RS resource method
 * refreshed by the filter in front of Jersey, on real Jetty; time moves on the injected clock.
 */
class FailedRefreshWasOnlyLoggedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    private double refreshFailures(String route, String exception) {
        Counter counter = registry.find(MicrometerEvents.REFRESH_FAILURES)
                .tags("route", route, "exception", exception).counter();
        return counter == null ? 0 : counter.count();
    }

    private double refusals(String route, String reason) {
        Counter counter = registry.find(MicrometerEvents.REFUSALS).tags("route", route, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void failedRefreshOfAFilteredServletIsCountedInBothModes() {
        FailingServlet ttl = new FailingServlet(null);
        FailingServlet headers = new FailingServlet("max-age=60, stale-while-revalidate=30");
        try (LogCapture log = LogCapture.of("dev.responsecache");
             Container.Running app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("ttl-cache", new ResponseCacheFilter(), "/ttl/*", "ttl", "60", "staleWhileRevalidate", "30")
                .filter("header-cache", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                .servlet("ttl", ttl, "/ttl/*")
                .servlet("headers", headers, "/headers/*"))) {
            assertEquals("page 1", app.get("/ttl/report").body());
            assertEquals("page 1", app.get("/headers/report").body());
            clock.advance(Duration.ofSeconds(70));
            ttl.failing.set(true);
            headers.failing.set(true);

            assertStaleThenCounted(app.get("/ttl/report"), () -> refreshFailures("ttl-cache", "IllegalStateException"));
            assertStaleThenCounted(app.get("/headers/report"),
                    () -> refreshFailures("header-cache", "IllegalStateException"));
            assertEquals(2, ttl.calls.get(), "the refresh ran the servlet");
            assertEquals(2, headers.calls.get(), "the refresh ran the servlet");
            // One warning per filter (each its own first failure), then summaries.
            Eventually.until(() -> log.messagesAtLeast(Level.WARNING).size() == 2, WAIT,
                    () -> "a refresh's failure was not logged: " + log.messagesAtLeast(Level.WARNING));
        }
    }

    /** A refresh that answers a 5xx threw nothing: it is not stored, and counted as a refusal, not a failure. */
    @Test
    void refreshAnsweredWithAServerErrorIsARefusalNotAFailure() {
        StaleAnswerMetricsTest.FailingServlet servlet = new StaleAnswerMetricsTest.FailingServlet();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("ttl-cache", new ResponseCacheFilter(), "/ttl/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("ttl", servlet, "/ttl/*"))) {
            assertEquals("page", app.get("/ttl/report").body());
            clock.advance(Duration.ofSeconds(70));
            servlet.failing.set(true);
            assertEquals("STALE", app.get("/ttl/report").headers().firstValue("X-Cache").orElse("none"));
            Eventually.until(() -> refusals("ttl-cache", "status") == 1, WAIT,
                    () -> "the refresh's 503 was not refused");
            assertEquals(0, registry.find(MicrometerEvents.REFRESH_FAILURES).counters().size());
        }
    }

    @Test
    void failedRefreshOfAResourceMethodIsCounted() {
        FailingResource resource = new FailingResource();
        ResourceConfig config = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.METER_REGISTRY, registry)
                .property(ResponseCacheProperties.CLOCK, clock);
        TestServer server = TestServer.jersey(config);
        // The filter in front of Jersey runs the refresh after the stale answer, as in a WAR.
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        try (LogCapture log = LogCapture.of("dev.responsecache"); TestServer started = server.start()) {
            assertEquals("item 1", started.getText("/api/item").body());
            clock.advance(Duration.ofSeconds(70));
            resource.failing.set(true);

            HttpResponse<String> stale = started.getText("/api/item");
            assertEquals("item 1", stale.body());
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElse("none"));
            Eventually.until(() -> refreshFailures("FailingResource#item", "IllegalStateException") == 1, WAIT,
                    () -> "the failed refresh was not counted: " + registry.getMeters().stream().map(meter -> meter.getId().toString()).toList());
            assertEquals(2, resource.calls.get(), "the refresh ran the method");
            List<String> warning = List.of("background refresh of /api/item failed; its stale entry answers until"
                    + " its stale-while-revalidate window ends");
            Eventually.until(() -> warning.equals(log.messagesAtLeast(Level.WARNING)), WAIT,
                    () -> "the refresh's failure was not logged: " + log.messagesAtLeast(Level.WARNING));
        }
    }

    private static void assertStaleThenCounted(HttpResponse<String> stale, DoubleSupplier count) {
        assertEquals("page 1", stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElse("none"));
        Eventually.until(() -> count.getAsDouble() == 1, WAIT, () -> "the failed refresh was not counted");
    }

    /** Throws once failing; its first page carries {@code cacheControl} (the header-driven filter needs one). */
    static final class FailingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicBoolean failing = new AtomicBoolean();
        final transient AtomicInteger calls = new AtomicInteger();
        private final String cacheControl;

        FailingServlet(String cacheControl) {
            this.cacheControl = cacheControl;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("backend down");
            }
            response.setContentType("text/plain;charset=utf-8");
            if (cacheControl != null) {
                response.setHeader("Cache-Control", cacheControl);
            }
            response.getWriter().write("page " + call);
        }
    }

    /** Throws, unmapped, once failing: Jersey hands the exception to the container. */
    @Path("item")
    public static final class FailingResource {

        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 30)
        public String item() {
            int call = calls.incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("backend down");
            }
            return "item " + call;
        }
    }
}
