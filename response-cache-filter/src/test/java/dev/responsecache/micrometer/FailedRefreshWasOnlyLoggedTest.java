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

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    /**
     * A header-driven refresh may go asynchronous (a proxy servlet always does); one whose asynchronous cycle timed out
     * only ended the refresh: neither logged nor counted, where the same failure thrown synchronously was both. It is
     * now a refresh failure like any other, counted once ({@code TimeoutException}) though the container goes on to
     * complete the cycle with an error of its own.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void asynchronousHeaderDrivenRefreshThatTimedOutWasNeitherLoggedNorCounted(Container container) {
        assertAsynchronousFailureCounted(container, "/headers/timeout", "TimeoutException");
    }

    /**
     * As above, for a cycle that ends in an error: Tomcat reports the exception of an asynchronous dispatch to the
     * listeners (wrapped in its own {@code RuntimeException}, past which it is counted). Jetty reports no event at all
     * for it once the response is complete, as a refresh's is: there it is counted when its claim lapses
     * ({@code AsynchronousRefreshWhoseDispatchThrewHeldItsKeyForTheWholeWindowContract}).
     */
    @Test
    void asynchronousHeaderDrivenRefreshEndingInAnErrorWasNeitherLoggedNorCounted() {
        assertAsynchronousFailureCounted(Container.TOMCAT, "/headers/error", "IllegalStateException");
    }

    private void assertAsynchronousFailureCounted(Container container, String path, String exception) {
        AsyncFailingServlet servlet = new AsyncFailingServlet();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                // Far longer than any refresh here: a slow machine never makes a refresh look abandoned.
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("header-cache", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                .servlet("headers", servlet, "/headers/*"))) {
            assertEquals("page 1", app.get(path).body());
            clock.advance(Duration.ofSeconds(70));
            servlet.failing.set(true);

            assertStaleThenCounted(app.get(path), () -> refreshFailures("header-cache", exception));
            List<String> warning = List.of("background refresh of " + path + " failed; its stale entry answers until"
                    + " its stale-while-revalidate window ends");
            Eventually.until(() -> warning.equals(log.messagesAtLeast(Level.WARNING)), WAIT,
                    () -> "the refresh's failure was not logged: " + log.messagesAtLeast(Level.WARNING));

            // The refresh has ended: the next stale answer starts one that succeeds, and its entry answers.
            servlet.failing.set(false);
            Eventually.until(() -> app.get(path).headers().firstValue("X-Cache").orElse("none").equals("HIT"), WAIT,
                    () -> path + ": the next refresh never stored");
            assertEquals("page 2", app.get(path).body());
            assertEquals(1, refreshFailures("header-cache", exception), "counted once");
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

    /**
     * Header-driven pages ({@code page 1}, then {@code page 2} once a refresh has failed), answered at once until
     * failing; then asynchronous: {@code /headers/timeout} never
     * completes its cycle (which times out after 50 ms), {@code /headers/error} dispatches it to itself and throws.
     */
    static final class AsyncFailingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicBoolean failing = new AtomicBoolean();
        private final transient AtomicBoolean refreshed = new AtomicBoolean();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (request.getDispatcherType() == DispatcherType.ASYNC) {
                throw new IllegalStateException("backend down");
            }
            if (failing.get()) {
                refreshed.set(true);
                AsyncContext async = request.startAsync();
                if (request.getRequestURI().endsWith("/timeout")) {
                    async.setTimeout(50);
                } else {
                    async.dispatch();
                }
                return;
            }
            response.setContentType("text/plain;charset=utf-8");
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
            response.getWriter().write(refreshed.get() ? "page 2" : "page 1");
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
