package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
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
 * A hit the JAX-RS runtime writes itself, through a response wrapper of a servlet filter in front of it that refuses
 * one of the hit's lines ({@code Age}), failed the runtime's write: the client got the runtime's 500 on every hit
 * until the entry expired. The library's filter in front of the runtime now sees the first such failure and the key's
 * later requests are served uncached, as the application alone answers them, until the entry would have expired.
 */
class JaxrsHitRefusedInFrontOfTheRuntimeWasA500OnEveryHitTest {

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

    @ParameterizedTest
    @EnumSource(Container.class)
    void onlyTheFirstHitOfTheEntryFailsAndTheRestAreServedUncached(Container container) {
        MutableClock clock = new MutableClock();
        Page page = new Page();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .initializer(new ResponseCacheInitializer())
                .filter("no-age", new LineRefusingFilter("Age"), "/api/*")
                .servlet("jersey", new ServletContainer(new ResourceConfig().register(page)
                        .register(ResponseCacheFeature.class)), "/api/*"))) {
            HttpResponse<String> miss = app.get("/api/page");
            assertEquals("page 1", miss.body(), container.toString());
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse(null), container.toString());
            assertEquals(500, app.get("/api/page").statusCode(),
                    container + ": the first hit fails, as the runtime writes it past every filter of the cache");
            for (int run = 2; run <= 3; run++) {
                HttpResponse<String> uncached = app.get("/api/page");
                assertEquals(200, uncached.statusCode(), container + ": a later hit failed too");
                assertEquals("page " + run, uncached.body(), container.toString());
            }

            // Once the entry would have expired, the key is cached again (and learnt again).
            clock.advance(Duration.ofSeconds(61));
            assertEquals("page 4", app.get("/api/page").body(), container.toString());
            assertEquals(4, page.runs.get(), container.toString());
            assertEquals(500, app.get("/api/page").statusCode(), container.toString());
            assertEquals("page 5", app.get("/api/page").body(), container.toString());
        }
    }

    /**
     * Without the library's initializer, a {@code ResponseCacheFilter} with {@code earlyJaxrsHits} in front of the
     * runtime sees it too, for the hits it leaves to the runtime (a GET naming a {@code Content-Type} is matched by the
     * runtime first); its own early lookups of the key then go uncached as well.
     */
    @Test
    void earlyFilterInFrontOfTheRuntimeLearnsFromTheHitItLeftToTheRuntime() {
        Page page = new Page();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addFilter(new FilterHolder(new LineRefusingFilter("Age")), "/api/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig().register(page)
                .register(ResponseCacheFeature.class))), "/api/*");
        try (TestServer server = TestServer.of(context).start()) {
            assertEquals("page 1", server.getText("/api/page").body());
            assertEquals(500, server.getText("/api/page", "Content-Type", "text/plain").statusCode(),
                    "the runtime writes the hit past the cache");
            HttpResponse<String> uncached = server.getText("/api/page", "Content-Type", "text/plain");
            assertEquals(200, uncached.statusCode());
            assertEquals("page 2", uncached.body());
            assertEquals("page 3", server.getText("/api/page").body(), "the early lookup passes the key by too");
        }
    }
}
