package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey resolves a relative {@code Location} header against the application's base URI as it writes the response,
 * after every response filter: a method's {@code header("Location", "moved")} reaches the client as
 * {@code http://host/api/moved}. The entry holds the method's relative value, which a hit inside Jersey is resolved from again; a hit answered in front
 * of Jersey (the library's filter before the runtime's servlet, the opt-in early filter) replayed it unresolved, and a
 * client resolving it against the request's own URL was sent to {@code /api/redirects/moved}. Such a path is left to
 * the runtime's own hit.
 */
class RelativeLocationReplayedUnresolvedInFrontOfJerseyTest {

    private final JerseyEntries entries = new JerseyEntries();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ResourceConfig app() {
        return new ResourceConfig().register(Redirects.class).register(entries).register(ResponseCacheFeature.class);
    }

    private void hitsCarryTheLocationJerseySends(String path) {
        String resolved = server.uri("/api/moved").toString();
        HttpResponse<String> miss = server.getText(path);
        assertEquals(301, miss.statusCode());
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse("none"));
        assertEquals(resolved, miss.headers().firstValue("Location").orElse("none"));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> hit = server.getText(path);
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(resolved, hit.headers().firstValue("Location").orElse("none"));
        }
    }

    @Test
    void inFrontOfTheRuntimesServlet() {
        server = TestServer.jersey(app());
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        hitsCarryTheLocationJerseySends("/api/redirects/by-header");
        assertEquals(3, entries.count(), "every hit was answered by Jersey");
        // Jersey's builder resolves a relative URI given to location() at once: that entry holds the absolute one.
        hitsCarryTheLocationJerseySends("/api/redirects/by-uri");
    }

    @Test
    void inTheEarlyFilter() {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        FilterHolder early = new FilterHolder(ResponseCacheFilter.class);
        early.setInitParameter("earlyJaxrsHits", "true");
        context.addFilter(early, "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ServletContainer(app())), "/api/*");
        server = TestServer.of(context).start();
        hitsCarryTheLocationJerseySends("/api/redirects/by-uri");
        hitsCarryTheLocationJerseySends("/api/redirects/by-header");
    }

    @Test
    void anAbsoluteLocationIsStillAnsweredInFrontOfTheRuntime() {
        server = TestServer.jersey(app());
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        server.getText("/api/redirects/absolute");
        HttpResponse<String> hit = server.getText("/api/redirects/absolute");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("https://elsewhere.example/moved", hit.headers().firstValue("Location").orElse("none"));
        assertEquals(1, entries.count(), "the hit was answered in front of Jersey");
    }

    @Path("redirects")
    public static final class Redirects {
        @GET
        @Path("by-uri")
        @CacheResponse(ttl = 60)
        public Response byUri() {
            return Response.status(301).location(URI.create("moved")).build();
        }

        @GET
        @Path("by-header")
        @CacheResponse(ttl = 60)
        public Response byHeader() {
            return Response.status(301).header("Location", "moved").build();
        }

        @GET
        @Path("absolute")
        @CacheResponse(ttl = 60)
        public Response absolute() {
            return Response.status(301).location(URI.create("https://elsewhere.example/moved")).build();
        }
    }
}
