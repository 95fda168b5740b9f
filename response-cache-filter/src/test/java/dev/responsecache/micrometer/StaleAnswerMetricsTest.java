package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Container;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * A request answered from a stale entry because its method failed (stale-if-error) is counted with outcome
 * {@code stale}, reason {@code error}, on both adapters; time moves on the injected clock.
 */
class StaleAnswerMetricsTest {

    private final MutableClock clock = new MutableClock();

    private static double requests(MeterRegistry registry, String route, String outcome, String reason) {
        Counter counter = registry.find(MicrometerEvents.REQUESTS)
                .tags("route", route, "outcome", outcome, "reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void staleIfErrorAnswerOfAResourceMethodIsCountedAsStale() {
        MeterRegistry registry = new SimpleMeterRegistry();
        FailingResource resource = new FailingResource();
        ResourceConfig app = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.METER_REGISTRY, registry)
                .property(ResponseCacheProperties.CLOCK, clock);
        try (TestServer server = TestServer.jersey(app).start()) {
            assertEquals(200, server.getText("/api/failing").statusCode());
            clock.advance(Duration.ofSeconds(90));
            resource.failing.set(true);
            assertEquals(200, server.getText("/api/failing").statusCode());
            assertEquals(1, requests(registry, "FailingResource#item", "stale", "error"));
            assertEquals(1, requests(registry, "FailingResource#item", "miss", "uri-miss"));
        }
    }

    @Test
    void staleIfErrorAnswerOfTheServletFilterIsCountedAsStale() {
        MeterRegistry registry = new SimpleMeterRegistry();
        FailingServlet servlet = new FailingServlet();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("stale-cache", new dev.responsecache.servlet.ResponseCacheFilter(), "/stale/*",
                        "ttl", "60", "staleIfError", "600")
                .servlet("failing", servlet, "/stale/*"))) {
            assertEquals(200, app.get("/stale/a").statusCode());
            clock.advance(Duration.ofSeconds(90));
            servlet.failing.set(true);
            assertEquals(200, app.get("/stale/a").statusCode());
            assertEquals(1, requests(registry, "stale-cache", "stale", "error"));
            assertEquals(1, requests(registry, "stale-cache", "miss", "uri-miss"));
        }
    }

    /** Answers 503 while failing. */
    @Path("failing")
    public static final class FailingResource {

        final AtomicBoolean failing = new AtomicBoolean();

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleIfError = 600)
        public Response item() {
            return failing.get() ? Response.status(503).entity("backend down").build() : Response.ok("item").build();
        }
    }

    /** Answers 503 while failing. */
    static final class FailingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicBoolean failing = new AtomicBoolean();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=utf-8");
            boolean fails = failing.get();
            response.setStatus(fails ? 503 : 200);
            response.getWriter().write(fails ? "backend down" : "page");
        }
    }
}
