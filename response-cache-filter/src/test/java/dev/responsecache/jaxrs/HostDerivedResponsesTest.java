package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A response built from the request's Host is never served to a request sent to another host. */
class HostDerivedResponsesTest {

    private final HostResource resource = new HostResource();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String host) {
        return server.getText(path, "Host", host);
    }

    @Test
    void cachedRedirectWithARelativeLocationHeaderIsResolvedAgainstEachRequestsHost() {
        HttpResponse<String> attacker = get("/api/host/moved", "evil.example");
        HttpResponse<String> visitor = get("/api/host/moved", "good.example");
        assertEquals(301, visitor.statusCode());
        assertEquals("HIT", visitor.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("http://evil.example/api/host/target", attacker.headers().firstValue("Location").orElseThrow());
        assertEquals("http://good.example/api/host/target", visitor.headers().firstValue("Location").orElseThrow());
        assertEquals(1, resource.calls.get());
    }

    @Test
    void cachedRedirectWhoseLocationJerseyMadeAbsoluteIsNotServedToAnotherHost() {
        assertNotServedToAnotherHost("/api/host/resolved");
    }

    @Test
    void absoluteLocationBuiltFromTheRequestIsNotServedToAnotherHost() {
        assertNotServedToAnotherHost("/api/host/absolute");
    }

    private void assertNotServedToAnotherHost(String path) {
        HttpResponse<String> attacker = get(path, "evil.example");
        assertEquals("http://evil.example/api/host/target", attacker.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> visitor = get(path, "good.example");
        assertEquals("MISS", visitor.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("http://good.example/api/host/target", visitor.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> next = get(path, "good.example");
        assertEquals("HIT", next.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("http://good.example/api/host/target", next.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void bodyWithALinkBuiltFromTheRequestIsNotServedToAnotherHost() {
        get("/api/host/links", "evil.example");
        HttpResponse<String> visitor = get("/api/host/links", "good.example");
        assertEquals("MISS", visitor.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(visitor.body().contains("http://good.example/api/host/target"), visitor.body());
        assertEquals("HIT", get("/api/host/links", "good.example").headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void originReflectedByTheMethodIsNotServedToAnotherOrigin() {
        server.getText("/api/host/cors", "Origin", "https://evil.example");
        HttpResponse<String> other = server.getText("/api/host/cors", "Origin", "https://app.example");
        assertEquals("MISS", other.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("https://app.example", other.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        HttpResponse<String> again = server.getText("/api/host/cors", "Origin", "https://app.example");
        assertEquals("HIT", again.headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void responseThatDoesNotNameTheHostIsSharedAcrossHosts() {
        get("/api/host/plain", "one.example");
        assertEquals("HIT", get("/api/host/plain", "two.example").headers().firstValue("X-Cache").orElseThrow());
    }

    @Path("host")
    public static final class HostResource {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Path("moved")
        @CacheResponse(ttl = 60, statuses = 301)
        public Response moved() {
            calls.incrementAndGet();
            // As text: the runtime makes it absolute after the response filters, from each request.
            return Response.status(301).header("Location", "host/target").build();
        }

        @GET
        @Path("resolved")
        @CacheResponse(ttl = 60, statuses = 301)
        public Response resolved() {
            // Jersey's builder makes a relative URI absolute at once, from the request that builds it.
            return Response.status(301).location(URI.create("host/target")).build();
        }

        @GET
        @Path("absolute")
        @CacheResponse(ttl = 60, statuses = 308)
        public Response absolute(@Context UriInfo uri) {
            return Response.status(308).location(uri.getBaseUriBuilder().path("host/target").build()).build();
        }

        @GET
        @Path("links")
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String links(@Context UriInfo uri) {
            return "{\"next\":\"" + uri.getBaseUriBuilder().path("host/target").build() + "\"}";
        }

        @GET
        @Path("cors")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Response cors(@jakarta.ws.rs.HeaderParam("Origin") String origin) {
            return Response.ok("data").header("Access-Control-Allow-Origin", origin).build();
        }

        @GET
        @Path("plain")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String plain() {
            return "plain";
        }
    }
}
