package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.annotation.InvalidatesCache;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Jersey routes {@code /items/1/} and {@code /items/%31} to the method of {@code items/{id}} with the id 1, as it
 * routes {@code /items/1}; each is keyed apart. Every eviction by path must reach all of them: an update's own path
 * sent in any of these spellings, an {@code @InvalidatesCache} path template, {@code evictPath}.
 */
class PathSpellingEvictionTest {

    private final Items items = new Items();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(items).register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<String> spellings(String id) {
        return List.of("/api/items/" + id, "/api/items/" + id + "/", "/api/items/%3" + id, "/api/items/%3" + id + "/");
    }

    /** Every spelling answers the item, and from the cache. */
    private void cachedInEverySpelling(String id) {
        for (String path : spellings(id)) {
            assertEquals("item " + id + ": old", server.getText(path).body(), path);
            assertEquals("HIT", server.getText(path).headers().firstValue("X-Cache").orElse("none"), path);
        }
    }

    private void newInEverySpelling(String id) {
        for (String path : spellings(id)) {
            HttpResponse<String> after = server.getText(path);
            assertEquals("item " + id + ": new", after.body(),
                    path + ": X-Cache " + after.headers().firstValue("X-Cache").orElse("none"));
        }
    }

    private void put(String path) {
        HttpResponse<byte[]> updated = server.send(server.request(path)
                .PUT(HttpRequest.BodyPublishers.ofString("new")).build());
        assertEquals(204, updated.statusCode());
    }

    @Test
    void updateSentToAnotherSpellingEvictsEverySpelling() {
        cachedInEverySpelling("1");
        put("/api/items/%31/");
        newInEverySpelling("1");
    }

    @Test
    void pathTemplateOfInvalidatesCacheEvictsEverySpelling() {
        cachedInEverySpelling("2");
        put("/api/items/2/name");
        newInEverySpelling("2");
    }

    @Test
    void evictPathEvictsEverySpelling() {
        cachedInEverySpelling("3");
        items.names.put("3", "new");
        ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) server.context().getServletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        assertEquals(4, invalidator.evictPath("/api/items/3/"));
        newInEverySpelling("3");
    }

    @Path("items/{id}")
    public static final class Items {
        final Map<String, String> names = new ConcurrentHashMap<>(Map.of("1", "old", "2", "old", "3", "old"));

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 600)
        public String get(@PathParam("id") String id) {
            return "item " + id + ": " + names.get(id);
        }

        @PUT
        public void update(@PathParam("id") String id, byte[] body) {
            names.put(id, new String(body, StandardCharsets.UTF_8));
        }

        @PUT
        @Path("name")
        @InvalidatesCache(paths = "/items/{id}/")
        public void rename(@PathParam("id") String id, byte[] body) {
            names.put(id, new String(body, StandardCharsets.UTF_8));
        }
    }
}
