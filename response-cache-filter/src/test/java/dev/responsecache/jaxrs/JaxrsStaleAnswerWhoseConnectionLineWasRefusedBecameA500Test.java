package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A response wrapper in front of the cache refuses {@code Connection} (as a strict wrapper that keeps
 * connection-specific fields out of HTTP/2 responses might). A JAX-RS stale-while-revalidate answer whose request
 * refreshes its key after it carried {@code Connection: close} in the response the runtime writes, unchecked: the
 * runtime's write of that line failed, and the client got a 500 in place of the stale page. The servlet side leaves
 * a refused line out; so does the JAX-RS side now: the line is advice, the answer goes out without it.
 */
class JaxrsStaleAnswerWhoseConnectionLineWasRefusedBecameA500Test {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Path("page")
    public static final class Page {
        final AtomicInteger runs = new AtomicInteger();

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, staleWhileRevalidate = 600)
        public String get() {
            return "page " + runs.incrementAndGet();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theClientGetsTheStaleAnswerWhileItsKeyIsRefreshed(Container container) {
        MutableClock clock = new MutableClock();
        Page page = new Page();
        LineRefusingFilter strict = new LineRefusingFilter("Connection");
        // In front of the library's own filter, which runs the refresh after the answer.
        ServletContainerInitializer strictFirst = (classes, context) -> {
            context.addFilter("strict", strict).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false,
                    "/*");
            new ResponseCacheInitializer().onStartup(classes, context);
        };
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .initializer(strictFirst)
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(page)
                        .register(ResponseCacheFeature.class)), "/api/*"))) {
            assertEquals("page 1", app.get("/api/page").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));

            HttpResponse<String> stale = app.get("/api/page");
            assertEquals(200, stale.statusCode(), container + ": " + stale.body());
            assertEquals("page 1", stale.body(), container.toString());
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElse("none"), container.toString());
            Eventually.until(() -> "page 2".equals(app.get("/api/page").body()), WAIT,
                    () -> container + ": the key was never refreshed");
            assertEquals(2, page.runs.get(), container.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void withoutTheWrapperTheStaleAnswerStillAsksForAnotherConnection(Container container) {
        MutableClock clock = new MutableClock();
        Page page = new Page();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .initializer(new ResponseCacheInitializer())
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(page)
                        .register(ResponseCacheFeature.class)), "/api/*"))) {
            assertEquals("page 1", app.get("/api/page").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));

            HttpResponse<String> stale = app.get("/api/page");
            assertEquals("page 1", stale.body(), container.toString());
            assertEquals("close", stale.headers().firstValue("Connection").orElse("none"), container.toString());
        }
    }
}
