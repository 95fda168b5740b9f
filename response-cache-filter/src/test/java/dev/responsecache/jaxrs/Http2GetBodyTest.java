package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.H2cClient;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JAX-RS GET that takes its query from the request body, over HTTP/2 (h2c on Jetty) without a
 * {@code Content-Length}: nothing before the method reads tells the request has content, so the response to it is
 * not stored and never answers another request.
 */
class Http2GetBodyTest {

    private TestServer server;
    private H2cClient client;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(new Search()).register(ResponseCacheFeature.class))
                .http2Cleartext().start();
        client = new H2cClient(server.port());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private String described(H2cClient.Response response) {
        return response.body() + " (" + response.header("Cache-Status") + ")";
    }

    @Test
    void getContentWithoutContentLengthOverHttp2IsNeverStoredToAnswerOtherRequests() {
        assertEquals("results for 'a' (ResponseCache; fwd=uri-miss; detail=request-body)",
                described(client.send("GET", server.port(), "/api/search", "a")));
        assertEquals("results for 'b' (ResponseCache; fwd=uri-miss; detail=request-body)",
                described(client.send("GET", server.port(), "/api/search", "b")));
        assertEquals("results for '' (ResponseCache; fwd=uri-miss)",
                described(client.send("GET", server.port(), "/api/search", null)));
        H2cClient.Response hit = client.send("GET", server.port(), "/api/search", null);
        assertEquals("results for ''", hit.body());
        assertTrue(hit.header("Cache-Status").startsWith("ResponseCache; hit"), hit.header("Cache-Status"));
    }

    @Test
    void getWithContentLengthAndBodyOverHttp2Bypasses() {
        assertEquals("results for 'a' (ResponseCache; fwd=bypass; detail=request-body)",
                described(client.send("GET", server.port(), "/api/search", "a", "Content-Length", "1")));
    }

    @Path("search")
    public static final class Search {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public String search(String query) {
            return "results for '" + query + "'";
        }
    }
}
