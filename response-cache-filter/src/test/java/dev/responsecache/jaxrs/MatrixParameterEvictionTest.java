package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.annotation.InvalidatesCache;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.MatrixParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

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
 * Matrix parameters ({@code @MatrixParam}) are part of the path as sent, so they key their own entries; but the runtime
 * routes {@code /items/1;view=short} to the same resource as {@code /items/1}: an update of that resource must evict
 * the entries of its matrix-parameter URLs too, by its own path and by an {@code @InvalidatesCache} path template.
 */
class MatrixParameterEvictionTest {

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

    private void put(String path, String body) {
        HttpResponse<byte[]> updated = server.send(server.request(path)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
        assertEquals(204, updated.statusCode());
    }

    @Test
    void updateOfAResourceEvictsItsMatrixParameterUrlsByItsOwnPath() {
        assertEquals("short: old", server.getText("/api/items/1;view=short").body());
        put("/api/items/1", "new");
        HttpResponse<String> after = server.getText("/api/items/1;view=short");
        assertEquals("short: new", after.body(), "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none"));
    }

    @Test
    void updateOfAResourceEvictsItsMatrixParameterUrlsByAPathTemplate() {
        assertEquals("short: old", server.getText("/api/items/2;view=short").body());
        put("/api/items/2/name", "new");
        HttpResponse<String> after = server.getText("/api/items/2;view=short");
        assertEquals("short: new", after.body(), "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("items/{id}")
    public static final class Items {
        private final Map<String, String> names = new ConcurrentHashMap<>(Map.of("1", "old", "2", "old"));

        @GET
        @CacheResponse(ttl = 600)
        public String get(@PathParam("id") String id, @MatrixParam("view") @DefaultValue("full") String view) {
            return view + ": " + names.get(id);
        }

        @PUT
        public void update(@PathParam("id") String id, byte[] body) {
            names.put(id, new String(body, StandardCharsets.UTF_8));
        }

        @PUT
        @Path("name")
        @InvalidatesCache(paths = "/items/{id}")
        public void rename(@PathParam("id") String id, byte[] body) {
            names.put(id, new String(body, StandardCharsets.UTF_8));
        }
    }
}
