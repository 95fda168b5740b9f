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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code If-Match} and {@code If-Unmodified-Since} (RFC 9111 4.3.2: not applicable to a cache) were answered from the
 * entry as if absent, a 200 where the method answers 412, on every path that answers a JAX-RS hit: the method's own
 * lookup, the hit before matching, the one in front of the runtime's servlet, the opt-in early filter, and in the
 * header-driven mode. Each request carrying one now reaches the method and is not stored. {@code If-Modified-Since},
 * which a cache does evaluate (4.3.2), is answered 304 from the entry on every path, as the method answers it.
 */
class PreconditionsOnEveryJaxrsHitPathTest {

    private static final String BYPASS = "ResponseCache; fwd=bypass; detail=precondition";
    /** Before the document's Last-Modified: If-Unmodified-Since with it fails. */
    private static final String EARLIER = "Thu, 01 Jan 2026 00:00:00 GMT";
    /** The document's Last-Modified: If-Modified-Since with it is met by the entry. */
    private static final String AT_LAST_MODIFIED = DateTimeFormatter.RFC_1123_DATE_TIME.format(
            Instant.ofEpochMilli(Document.LAST_MODIFIED.getTime()).atZone(ZoneOffset.UTC));

    private final Document document = new Document();
    private final JerseyEntries entries = new JerseyEntries();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ResourceConfig app() {
        return new ResourceConfig().register(document).register(entries).register(ResponseCacheFeature.class);
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** A hit first, proving the path answers; then each precondition reaches the method. */
    private void preconditionsReachTheMethod(String path, boolean answeredInFrontOfJersey) {
        assertEquals("MISS", cacheHeader(server.getText(path)));
        assertEquals("HIT", cacheHeader(server.getText(path)));
        int calls = document.calls.get();
        int entered = entries.count();
        if (answeredInFrontOfJersey) {
            assertEquals(1, entered, "the hit was answered in front of Jersey");
        }

        // If-Modified-Since is the cache's to answer, as the method's own evaluatePreconditions would.
        HttpResponse<String> unchanged = server.getText(path, "If-Modified-Since", AT_LAST_MODIFIED);
        assertEquals(304, unchanged.statusCode(), "X-Cache: " + cacheHeader(unchanged));
        assertEquals("HIT", cacheHeader(unchanged));
        assertEquals(calls, document.calls.get());

        HttpResponse<String> otherTag = server.getText(path, "If-Match", "\"v0\"");
        assertEquals(412, otherTag.statusCode(), "X-Cache: " + cacheHeader(otherTag));
        assertEquals(BYPASS, otherTag.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<String> sameTag = server.getText(path, "If-Match", "\"v1\"");
        assertEquals(200, sameTag.statusCode());
        assertEquals("version 1", sameTag.body());
        assertEquals(BYPASS, sameTag.headers().firstValue("Cache-Status").orElse("none"));
        HttpResponse<String> modified = server.getText(path, "If-Unmodified-Since", EARLIER);
        assertEquals(412, modified.statusCode(), "X-Cache: " + cacheHeader(modified));
        assertEquals(calls + 3, document.calls.get(), "every precondition was evaluated by the method");

        assertEquals("HIT", cacheHeader(server.getText(path)), "the entry is still there, nothing replaced it");
    }

    @Test
    void beforeMatching() {
        server = TestServer.jersey(app()).start();
        preconditionsReachTheMethod("/api/document", false);
    }

    @Test
    void inTheMethodsOwnLookup() {
        // An application request filter keeps hits inside the runtime, after matching.
        server = TestServer.jersey(app().register((ContainerRequestFilter) (ContainerRequestContext request) -> { }))
                .start();
        preconditionsReachTheMethod("/api/document", false);
    }

    @Test
    void inFrontOfTheRuntimesServlet() {
        server = TestServer.jersey(app());
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        preconditionsReachTheMethod("/api/document", true);
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
        preconditionsReachTheMethod("/api/document", true);
    }

    @Test
    void inTheHeaderDrivenMode() {
        server = TestServer.jersey(app()).start();
        preconditionsReachTheMethod("/api/document/by-headers", false);
    }

    @Path("document")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Document {
        private static final EntityTag CURRENT = new EntityTag("v1");
        private static final Date LAST_MODIFIED = new Date(1_780_000_000_000L);

        final AtomicInteger calls = new AtomicInteger();

        @GET
        @CacheResponse(ttl = 60)
        public Response get(@Context Request request) {
            return answer(request).build();
        }

        @GET
        @Path("by-headers")
        @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
        public Response byHeaders(@Context Request request) {
            return answer(request).header("Cache-Control", "max-age=60").build();
        }

        private Response.ResponseBuilder answer(Request request) {
            calls.incrementAndGet();
            Response.ResponseBuilder failed = request.evaluatePreconditions(LAST_MODIFIED, CURRENT);
            return failed != null ? failed : Response.ok("version 1").tag(CURRENT).lastModified(LAST_MODIFIED);
        }
    }
}
