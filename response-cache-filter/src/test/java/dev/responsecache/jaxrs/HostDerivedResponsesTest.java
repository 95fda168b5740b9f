package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A redirect the JAX-RS runtime makes absolute, from each request's Host, is never served to another host. What both
 * adapters do with a Location, a body link or an Origin built from the request is in the contract suite.
 */
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
    }
}
