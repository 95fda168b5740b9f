package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A HEAD is answered from the GET entry with the GET's headers, and Jersey frames a JAX-RS hit itself (the entry keeps
 * no {@code Content-Length}). For a body past Jersey's 8 KiB buffer Jersey knows no length, and on a HEAD, which
 * writes nothing, the container then completes the response with {@code Content-Length: 0}: a HEAD hit said the
 * document was empty where the method itself declared its 20,000 bytes (a download manager sizing a file with HEAD
 * got 0). Where no writer interceptor or response filter of the application could change the body, a HEAD hit now
 * carries the length of the body a GET hit sends, before matching and in the method's own lookup alike, as the hits
 * answered in front of the runtime already did.
 */
class HeadHitPastJerseysBufferSaysContentLengthZeroTest {

    private static final String DOCUMENT = "d".repeat(20_000);

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<byte[]> head(String path) {
        return server.send(server.request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    private void headHitCarriesTheDeclaredLength() {
        HttpResponse<String> miss = server.getText("/api/document");
        assertEquals(DOCUMENT, miss.body());
        assertEquals("20000", miss.headers().firstValue("Content-Length").orElse("none"));
        HttpResponse<byte[]> uncachedHead = head("/api/document/uncached");
        assertEquals("20000", uncachedHead.headers().firstValue("Content-Length").orElse("none"),
                "the method alone declares its length on a HEAD");

        HttpResponse<byte[]> hit = head("/api/document");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("20000", hit.headers().firstValue("Content-Length").orElse("none"));
        assertEquals(0, hit.body().length);
        assertEquals(DOCUMENT, server.getText("/api/document").body(), "a GET hit still sends the whole body");
    }

    @Test
    void beforeMatching() {
        server = TestServer.jersey(new ResourceConfig().register(Document.class).register(ResponseCacheFeature.class))
                .start();
        headHitCarriesTheDeclaredLength();
    }

    @Test
    void inTheMethodsOwnLookup() {
        // An application request filter keeps hits inside the runtime, after matching.
        server = TestServer.jersey(new ResourceConfig().register(Document.class).register(ResponseCacheFeature.class)
                .register((ContainerRequestFilter) (ContainerRequestContext request) -> { })).start();
        headHitCarriesTheDeclaredLength();
    }

    @Path("document")
    @Produces(MediaType.TEXT_PLAIN)
    public static final class Document {
        @GET
        @CacheResponse(ttl = 60)
        public Response get() {
            return uncached();
        }

        @GET
        @Path("uncached")
        public Response uncached() {
            return Response.ok(DOCUMENT).header("Content-Length", DOCUMENT.length()).build();
        }
    }
}
