package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A hit the JAX-RS runtime writes itself, through a response wrapper in front of it that refuses one of its lines
 * ({@code Age}), is the runtime's 500 to its client; the library's filter in front of the runtime sees it, but the hit
 * had already been counted as a hit when it was looked up. It is now counted when that filter tells how it went: a
 * hit written, or the bypass it became ({@code reason=error}); each request exactly once, and at once where no such
 * filter runs. Counted as the request leaves that filter, which may be just after the client has read the answer:
 * the test waits for the request's count before reading what it was counted as.
 */
class JaxrsHitRefusedInFrontOfTheRuntimeWasCountedAsAHitTest {

    private static double requests(MeterRegistry registry, String route, String outcome, String reason) {
        Counter counter = registry.find(MicrometerEvents.REQUESTS)
                .tags("route", route, "outcome", outcome, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Everything {@code route} was counted in: one count per request (outcome {@code stale} aside). */
    private static double counted(MeterRegistry registry, String route) {
        double sum = 0;
        for (Meter meter : registry.find(MicrometerEvents.REQUESTS).tag("route", route).counters()) {
            if (!"stale".equals(meter.getId().getTag("outcome"))) {
                sum += ((Counter) meter).count();
            }
        }
        return sum;
    }

    /** Waits (with a deadline) until {@code route} was counted {@code requests} times in all. */
    private static void countedTimes(MeterRegistry registry, String route, int requests, Object where) {
        Eventually.until(() -> counted(registry, route) >= requests, Duration.ofSeconds(30),
                () -> where + ": " + route + " counted " + counted(registry, route) + " times, not " + requests);
        assertEquals(requests, counted(registry, route), where + ": each request counted once");
    }

    @Path("refused/{id}")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Refused {
        final AtomicInteger runs = new AtomicInteger();

        @GET
        @CacheResponse(ttl = 60)
        public String get(@PathParam("id") String id) {
            return id + " " + runs.incrementAndGet();
        }
    }

    @Path("written")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Written {
        final AtomicInteger runs = new AtomicInteger();

        @GET
        @CacheResponse(ttl = 60)
        public String get() {
            return "written " + runs.incrementAndGet();
        }
    }

    /** Answers 503 once told to fail: its stale entry replaces the error in the adapter's response filter. */
    @Path("failing")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Failing {
        final AtomicBoolean fails = new AtomicBoolean();

        @GET
        @CacheResponse(ttl = 60, staleIfError = 600)
        public Response get() {
            return fails.get() ? Response.status(503).entity("down").build() : Response.ok("up").build();
        }
    }

    private static ServletApp app(MeterRegistry registry, MutableClock clock, Object... resources) {
        ResourceConfig config = new ResourceConfig().register(ResponseCacheFeature.class);
        for (Object resource : resources) {
            config.register(resource);
        }
        return new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("no-age", new LineRefusingFilter("Age"), "/api/refused/*")
                .filter("no-age-either", new LineRefusingFilter("Age"), "/api/failing")
                .servlet("jersey", new ServletContainer(config), "/api/*");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refusedHitIsCountedAsTheBypassItBecame(Container container) {
        MeterRegistry registry = new SimpleMeterRegistry();
        Refused refused = new Refused();
        try (Container.Running app = container.start(app(registry, new MutableClock(), refused, new Written())
                .initializer(new ResponseCacheInitializer()))) {
            assertEquals("a 1", app.get("/api/refused/a").body(), container.toString());
            assertEquals(500, app.get("/api/refused/a").statusCode(), container + ": the runtime writes the hit");
            countedTimes(registry, "Refused#get", 2, container);
            assertEquals(0, requests(registry, "Refused#get", "hit", "fresh"),
                    container + ": a hit the client never got was counted as one");
            assertEquals(1, requests(registry, "Refused#get", "bypass", "error"), container.toString());

            // A hit the runtime matches first (a GET naming a Content-Type): the method's own lookup answers it.
            assertEquals("b 2", app.get("/api/refused/b").body(), container.toString());
            assertEquals(500, app.get("/api/refused/b", "Content-Type", "text/plain").statusCode(),
                    container.toString());
            countedTimes(registry, "Refused#get", 4, container);
            assertEquals(0, requests(registry, "Refused#get", "hit", "fresh"), container.toString());
            assertEquals(2, requests(registry, "Refused#get", "bypass", "error"), container.toString());
            assertEquals(2, requests(registry, "Refused#get", "miss", "uri-miss"), container.toString());

            // A hit the runtime wrote is counted as one, once.
            assertEquals("written 1", app.get("/api/written").body(), container.toString());
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> hit = app.get("/api/written");
                assertEquals("written 1", hit.body(), container.toString());
                assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse(null), container.toString());
            }
            HttpResponse<String> matched = app.get("/api/written", "Content-Type", "text/plain");
            assertEquals("HIT", matched.headers().firstValue("X-Cache").orElse(null), container.toString());
            countedTimes(registry, "Written#get", 4, container);
            assertEquals(3, requests(registry, "Written#get", "hit", "fresh"), container.toString());
        }
    }

    /**
     * A stale answer in place of the method's 503, which the runtime cannot write either: the library's filter in
     * front writes it itself, and it is counted once, as answered stale.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void staleAnswerInPlaceOfAnErrorIsCountedOnce(Container container) {
        MeterRegistry registry = new SimpleMeterRegistry();
        MutableClock clock = new MutableClock();
        Failing failing = new Failing();
        try (Container.Running app = container.start(app(registry, clock, failing)
                .initializer(new ResponseCacheInitializer()))) {
            assertEquals("up", app.get("/api/failing").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));
            failing.fails.set(true);
            HttpResponse<String> answered = app.get("/api/failing");
            assertEquals(200, answered.statusCode(), container.toString());
            assertEquals("up", answered.body(), container.toString());
            assertEquals("STALE", answered.headers().firstValue("X-Cache").orElse(null), container.toString());
            Eventually.until(() -> requests(registry, "Failing#get", "stale", "error") >= 1, Duration.ofSeconds(30),
                    () -> container + ": the stale answer was never counted");
            countedTimes(registry, "Failing#get", 2, container);
            assertEquals(1, requests(registry, "Failing#get", "miss", "stale"), container.toString());
            assertEquals(1, requests(registry, "Failing#get", "stale", "error"), container.toString());
        }
    }

    /** Where no filter of the library runs in front of the runtime, a hit is counted when looked up, as before. */
    @ParameterizedTest
    @EnumSource(Container.class)
    void hitWithoutTheFilterInFrontIsCountedAtOnce(Container container) {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Container.Running app = container.start(app(registry, new MutableClock(), new Refused(),
                new Written()))) {
            assertEquals("written 1", app.get("/api/written").body(), container.toString());
            assertEquals("written 1", app.get("/api/written").body(), container.toString());
            assertEquals(2, counted(registry, "Written#get"), container + ": counted as it was looked up");
            assertEquals(1, requests(registry, "Written#get", "hit", "fresh"), container.toString());
            // Nothing in front sees the runtime's 500: the limit stands, counted as the hit it was looked up as.
            assertEquals("a 1", app.get("/api/refused/a").body(), container.toString());
            assertEquals(500, app.get("/api/refused/a").statusCode(), container.toString());
            assertEquals(2, counted(registry, "Refused#get"), container.toString());
            assertEquals(1, requests(registry, "Refused#get", "hit", "fresh"), container.toString());
        }
    }

    /** A {@code ResponseCacheFilter} with {@code earlyJaxrsHits} in front of the runtime counts the hit it left to it. */
    @Test
    void earlyFilterInFrontCountsTheRefusedHitItLeftToTheRuntimeAsABypass() {
        MeterRegistry registry = new SimpleMeterRegistry();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setAttribute(ResponseCacheProperties.METER_REGISTRY, registry);
        context.addFilter(new FilterHolder(new LineRefusingFilter("Age")), "/api/refused/*",
                EnumSet.of(DispatcherType.REQUEST));
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(new Refused())
                .register(new Written()).register(ResponseCacheFeature.class))), "/api/*");
        try (TestServer server = TestServer.of(context).start()) {
            assertEquals("a 1", server.getText("/api/refused/a").body());
            assertEquals(500, server.getText("/api/refused/a", "Content-Type", "text/plain").statusCode());
            countedTimes(registry, "Refused#get", 2, "early filter");
            assertEquals(0, requests(registry, "Refused#get", "hit", "fresh"), "counted as served from the cache");
            assertEquals(1, requests(registry, "Refused#get", "bypass", "error"));

            assertEquals("written 1", server.getText("/api/written").body());
            assertEquals("HIT", server.getText("/api/written", "Content-Type", "text/plain").headers()
                    .firstValue("X-Cache").orElse(null));
            countedTimes(registry, "Written#get", 2, "early filter");
            assertEquals(1, requests(registry, "Written#get", "hit", "fresh"));
        }
    }
}
