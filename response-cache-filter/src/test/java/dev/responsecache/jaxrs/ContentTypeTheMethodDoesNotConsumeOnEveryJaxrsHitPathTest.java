package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.JerseyEntries;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;

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
 * Jersey matches a GET's {@code Content-Type} against the method's {@code @Consumes} (often the resource class's, for
 * every method of it) even when the GET has no content: a type the method does not consume is a 415, a type it cannot
 * parse a 400. The hits answered before matching (in the runtime, in front of its servlet, in the opt-in early filter)
 * knew only the path and {@code Accept}, and answered both with the stored 200. Each hit path now leaves a request
 * with a {@code Content-Type} to the runtime, whose own lookup answers it once the method is matched.
 */
class ContentTypeTheMethodDoesNotConsumeOnEveryJaxrsHitPathTest {

    private final JerseyEntries entries = new JerseyEntries();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ResourceConfig app() {
        return new ResourceConfig().register(JsonApi.class).register(PlainText.class).register(entries)
                .register(ResponseCacheFeature.class);
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** A hit first, proving the path answers; then the runtime's own answers to each Content-Type. */
    private void contentTypesAreMatchedByTheRuntime(boolean answeredInFrontOfJersey) {
        assertEquals("MISS", cacheHeader(server.getText("/api/items")));
        assertEquals("HIT", cacheHeader(server.getText("/api/items")));
        assertEquals("MISS", cacheHeader(server.getText("/api/notes")));
        assertEquals("HIT", cacheHeader(server.getText("/api/notes")));
        if (answeredInFrontOfJersey) {
            assertEquals(2, entries.count(), "the hits were answered in front of Jersey");
        }

        HttpResponse<String> notConsumed = server.getText("/api/items", "Content-Type", "text/xml");
        assertEquals(415, notConsumed.statusCode(), "X-Cache: " + cacheHeader(notConsumed));
        HttpResponse<String> malformed = server.getText("/api/notes", "Content-Type", "not a media type");
        assertEquals(400, malformed.statusCode(), "X-Cache: " + cacheHeader(malformed));

        HttpResponse<String> consumed = server.getText("/api/items", "Content-Type", "application/json");
        assertEquals(200, consumed.statusCode());
        assertEquals("HIT", cacheHeader(consumed), "a type the method consumes is still a hit, after matching");
        assertEquals("[1,2]", consumed.body());
    }

    @Test
    void beforeMatching() {
        server = TestServer.jersey(app()).start();
        contentTypesAreMatchedByTheRuntime(false);
    }

    @Test
    void inTheMethodsOwnLookup() {
        // An application request filter keeps hits inside the runtime, after matching.
        server = TestServer.jersey(app().register((ContainerRequestFilter) (ContainerRequestContext request) -> { }))
                .start();
        contentTypesAreMatchedByTheRuntime(false);
    }

    @Test
    void inFrontOfTheRuntimesServlet() {
        server = TestServer.jersey(app());
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        contentTypesAreMatchedByTheRuntime(true);
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
        contentTypesAreMatchedByTheRuntime(true);
    }

    /** The usual JSON API: the class consumes and produces JSON, for its GETs too. */
    @Path("items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public static final class JsonApi {
        @GET
        @CacheResponse(ttl = 60)
        public String list() {
            return "[1,2]";
        }
    }

    @Path("notes")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class PlainText {
        @GET
        @CacheResponse(ttl = 60)
        public String get() {
            return "a note";
        }
    }
}
