package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
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
 * A hit that could not be written (a response wrapper in front refuses {@code Age}) is served uncached, but it was
 * counted as a hit when it was looked up: {@code responsecache.requests} said {@code hit} for requests the application
 * answered itself. An answer the servlet adapter writes is now counted once it is written, and one that could not be
 * is counted as the bypass it became ({@code reason=error}), on the servlet filter's fresh and stale hits and on the
 * JAX-RS hits answered in front of the runtime.
 */
class HitThatCouldNotBeWrittenWasCountedAsAHitTest {

    private static double requests(MeterRegistry registry, String route, String outcome, String reason) {
        Counter counter = registry.find(MicrometerEvents.REQUESTS)
                .tags("route", route, "outcome", outcome, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    static final class CountedPage extends HttpServlet {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("page " + runs.incrementAndGet());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void freshHitThatCannotBeWrittenIsCountedAsABypass(Container container) {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .filter("no-age", new LineRefusingFilter("Age"), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .servlet("page", new CountedPage(), "/page/*"))) {
            for (int i = 1; i <= 3; i++) {
                assertEquals("page " + i, app.get("/page/a").body(), container.toString());
            }
            assertEquals(1, requests(registry, "cache", "miss", "uri-miss"), container.toString());
            assertEquals(0, requests(registry, "cache", "hit", "fresh"), container + ": counted as served from the cache");
            assertEquals(2, requests(registry, "cache", "bypass", "error"), container.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staleHitThatCannotBeWrittenIsCountedAsABypass(Container container) {
        MeterRegistry registry = new SimpleMeterRegistry();
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("no-age", new LineRefusingFilter("Age"), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", new CountedPage(), "/page/*"))) {
            assertEquals("page 1", app.get("/page/a").body(), container.toString());
            clock.advance(Duration.ofSeconds(70));
            assertEquals("page 2", app.get("/page/a").body(), container.toString());
            assertEquals(0, requests(registry, "cache", "hit", "stale"), container + ": counted as a stale hit");
            assertEquals(0, requests(registry, "cache", "stale", "revalidate"), container + ": counted as answered stale");
            assertEquals(1, requests(registry, "cache", "bypass", "error"), container.toString());
        }
    }

    @Path("page")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Page {
        final AtomicInteger runs = new AtomicInteger();

        @GET
        @CacheResponse(ttl = 60)
        public String get() {
            return "page " + runs.incrementAndGet();
        }
    }

    @Test
    void jaxrsHitInFrontOfTheRuntimeThatCannotBeWrittenIsCountedAsABypass() {
        MeterRegistry registry = new SimpleMeterRegistry();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setAttribute(ResponseCacheProperties.METER_REGISTRY, registry);
        context.addFilter(new FilterHolder(new LineRefusingFilter("Age")), "/api/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(new Page())
                .register(ResponseCacheFeature.class))), "/api/*");
        try (TestServer server = TestServer.of(context).start()) {
            for (int i = 1; i <= 3; i++) {
                assertEquals("page " + i, server.getText("/api/page").body());
            }
            assertEquals(1, requests(registry, "Page#get", "miss", "uri-miss"));
            assertEquals(0, requests(registry, "Page#get", "hit", "fresh"), "counted as served from the cache");
            assertEquals(2, requests(registry, "Page#get", "bypass", "error"));
        }
    }
}
