package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.annotation.InvalidatesCache;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @InvalidatesCache(tags = {"products", "{query.category}"})}: docs/INVALIDATION.md says a query parameter the request lacks
 * fills in as the empty text, and the method's tags are evicted after a 2xx. When one template fills to a text that is
 * not a valid tag (empty, or starting with {@code /}), InvalidatingFilter's catch evicts only the request's own path
 * and drops every other tag, the literal {@code products} included: the catalogue tagged {@code products} stays cached
 * and a client reads the count from before the successful POST.
 */
class OneUnfillableInvalidationTagDropsTheOthersTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(new Shop())
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void cachedCatalogue(String body) {
        assertEquals(body, server.getText("/api/catalogue").body());
        HttpResponse<String> hit = server.getText("/api/catalogue");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(body, hit.body());
    }

    private void post(String path) {
        assertEquals(204, server.send(server.request(path).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode());
    }

    /** Control: with the parameter present, both tags fill and the catalogue is evicted. */
    @Test
    void postWithTheQueryParameterEvictsTheLiteralTag() {
        cachedCatalogue("products=0");
        post("/api/products?category=shoes");
        // Gets the catalogue after the POST (products=1), as without the cache.
        assertEquals("products=1", server.getText("/api/catalogue").body());
    }

    /** The client gets "products=0" (the entry the POST's literal tag condemned); it should get "products=1". */
    @Test
    void postWithoutTheQueryParameterStillEvictsTheLiteralTag() {
        cachedCatalogue("products=0");
        post("/api/products");
        assertEquals("products=1", server.getText("/api/catalogue").body());
    }

    /** The same with a category value starting with '/': the client gets "products=0", should get "products=1". */
    @Test
    void postWithAQueryValueStartingWithASlashStillEvictsTheLiteralTag() {
        cachedCatalogue("products=0");
        post("/api/products?category=%2Fshoes");
        assertEquals("products=1", server.getText("/api/catalogue").body());
    }

    /**
     * A page tagged with {@code {query.category}} filled to a value starting with '/' is evicted by the update that
     * fills the same value: both sides name it alike ({@code %2Fshoes}), never as the path {@code /shoes}.
     */
    @Test
    void aCategoryStartingWithASlashTagsAndEvictsTheSameEntries() {
        assertEquals("shoes=0", server.getText("/api/category?category=%2Fshoes").body());
        assertEquals("HIT", server.getText("/api/category?category=%2Fshoes").headers().firstValue("X-Cache")
                .orElseThrow());
        post("/api/products?category=%2Fshoes");
        assertEquals("shoes=1", server.getText("/api/category?category=%2Fshoes").body());
    }

    @Path("")
    public static final class Shop {
        private final AtomicInteger products = new AtomicInteger();

        @GET
        @Path("catalogue")
        @CacheResponse(ttl = 600, tags = "products")
        public String catalogue() {
            return "products=" + products.get();
        }

        @GET
        @Path("category")
        @CacheResponse(ttl = 600, tags = "{query.category}")
        public String category() {
            return "shoes=" + products.get();
        }

        @POST
        @Path("products")
        @InvalidatesCache(tags = {"products", "{query.category}"})
        public void add(@QueryParam("category") String category) {
            products.incrementAndGet();
        }
    }
}
