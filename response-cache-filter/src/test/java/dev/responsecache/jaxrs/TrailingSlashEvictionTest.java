package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey routes {@code /items/1/} to the method of {@code items/{id}}, as it routes {@code /items/1}; the key is the
 * path as sent, so the two are two entries. A successful PUT to {@code /items/1} evicts its own path (RFC 9111 4.4):
 * the entry stored for the same item under the trailing slash must not keep answering the old item.
 */
class TrailingSlashEvictionTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(new Items()).register(ResponseCacheFeature.class))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void putToAnItemEvictsWhatItsPathWithATrailingSlashAnswers() {
        assertEquals("item 1: old", server.getText("/api/items/1").body());
        assertEquals("item 1: old", server.getText("/api/items/1/").body());
        assertEquals("HIT", server.getText("/api/items/1/").headers().firstValue("X-Cache").orElse("none"));

        HttpResponse<byte[]> updated = server.send(server.request("/api/items/1")
                .PUT(HttpRequest.BodyPublishers.ofString("new")).build());
        assertEquals(204, updated.statusCode());

        assertEquals("item 1: new", server.getText("/api/items/1").body());
        HttpResponse<String> slash = server.getText("/api/items/1/");
        assertEquals("item 1: new", slash.body(), "X-Cache: " + slash.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("items/{id}")
    public static final class Items {
        private final Map<String, String> items = new ConcurrentHashMap<>(Map.of("1", "old"));

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 600)
        public String get(@PathParam("id") String id) {
            return "item " + id + ": " + items.get(id);
        }

        @PUT
        public void update(@PathParam("id") String id, byte[] body) {
            items.put(id, new String(body, StandardCharsets.UTF_8));
        }
    }
}
