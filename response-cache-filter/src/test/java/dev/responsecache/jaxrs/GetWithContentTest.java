package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A GET that carries content (a search API taking its query as a body, as some do) is answered from that content,
 * which no part of the key holds: two such requests with different content must not share an entry.
 */
class GetWithContentTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(SearchResource.class)
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> search(String query) {
        return server.send(server.request("/api/search").header("Content-Type", "text/plain")
                .method("GET", HttpRequest.BodyPublishers.ofString(query)).build());
    }

    @Test
    void getsWithDifferentContentDoNotShareAnEntry() {
        assertEquals("results for apples", new String(search("apples").body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> pears = search("pears");
        assertEquals("results for pears", new String(pears.body(), StandardCharsets.UTF_8),
                "X-Cache: " + pears.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("search")
    public static final class SearchResource {
        @GET
        @Consumes(MediaType.TEXT_PLAIN)
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String search(String query) {
            return "results for " + query;
        }
    }
}
