package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The servlet answered a 5xx, the cache held a stale entry within stale-if-error, and writing that stale answer failed
 * in the middle of its lines (a response wrapper in front refuses {@code Age}): the fault reached the container, and
 * the client got the container's 500 in place of the servlet's own 503. A stale answer that cannot be written now
 * leaves what the servlet alone sent: its status, its lines and its body (or, for a {@code sendError}, the container's
 * page for its status), and it is not counted as a stale answer. So does the stale answer the library's filter in
 * front of a JAX-RS runtime gives in place of an error sent outside JAX-RS.
 */
class StaleIfErrorAnswerThatCouldNotBeWrittenBecameThe500OfTheContainerTest {

    /** Answers 200, or, while failing, 503 with a body of its own or through {@code sendError}. */
    static final class Backend extends HttpServlet {
        volatile String failing;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            if ("body".equals(failing)) {
                response.setStatus(503);
                response.setHeader("Retry-After", "120");
                response.getWriter().write("backend down");
            } else if ("sendError".equals(failing)) {
                response.setHeader("Retry-After", "120");
                response.sendError(503, "backend down");
            } else {
                response.getWriter().write("page");
            }
        }
    }

    private static double requests(MeterRegistry registry, String outcome, String reason) {
        Counter counter = registry.find("responsecache.requests")
                .tags("route", "cache", "outcome", outcome, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletsOwnErrorGoesToTheClient(Container container) {
        MutableClock clock = new MutableClock();
        MeterRegistry registry = new SimpleMeterRegistry();
        Backend backend = new Backend();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .filter("no-age", new LineRefusingFilter("Age"), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600")
                .servlet("page", backend, "/page/*"))) {
            assertEquals("page", app.get("/page/a").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));
            backend.failing = "body";

            HttpResponse<String> failed = app.get("/page/a");
            assertEquals(503, failed.statusCode(), container + ": " + failed.body());
            assertEquals("backend down", failed.body(), container.toString());
            assertEquals("120", failed.headers().firstValue("Retry-After").orElse(null), container.toString());
            assertTrue(failed.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                    container + ": " + failed.headers().map());
            assertEquals(0, requests(registry, "stale", "error"), container + ": counted as answered stale");
            assertEquals(1, requests(registry, "miss", "stale"), container.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletsSendErrorGoesToTheClient(Container container) {
        MutableClock clock = new MutableClock();
        Backend backend = new Backend();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("no-age", new LineRefusingFilter("Age"), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600")
                .servlet("page", backend, "/page/*"))) {
            assertEquals("page", app.get("/page/a").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));
            backend.failing = "sendError";

            HttpResponse<String> failed = app.get("/page/a");
            assertEquals(503, failed.statusCode(), container + ": " + failed.body());
            assertEquals("120", failed.headers().firstValue("Retry-After").orElse(null), container.toString());
        }
    }

    /** Answers 200, or, while failing, 503 through the servlet response's {@code sendError}, outside JAX-RS. */
    @Path("backend")
    public static final class Resource {
        volatile boolean failing;

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleIfError = 600)
        public String get(@Context HttpServletResponse response) throws IOException {
            if (failing) {
                response.setHeader("Retry-After", "120");
                response.sendError(503, "backend down");
                return null;
            }
            return "page";
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void runtimesErrorSentOutsideJaxrsGoesToTheClient(Container container) {
        MutableClock clock = new MutableClock();
        Resource resource = new Resource();
        // In front of the library's own filter, which answers stale around the runtime: the filters mapped before the
        // declared ones stay in the order they were added.
        ServletContainerInitializer refusingFirst = (classes, context) -> {
            context.addFilter("no-age", new LineRefusingFilter("Age"))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            new ResponseCacheInitializer().onStartup(classes, context);
        };
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .initializer(refusingFirst)
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(resource)
                        .register(ResponseCacheFeature.class)), "/api/*"))) {
            assertEquals("page", app.get("/api/backend").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));
            resource.failing = true;

            HttpResponse<String> failed = app.get("/api/backend");
            assertEquals(503, failed.statusCode(), container + ": " + failed.body());
            assertEquals("120", failed.headers().firstValue("Retry-After").orElse(null),
                    container + ": " + failed.headers().map());
        }
    }
}
