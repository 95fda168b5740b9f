package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

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
 * RFC 9111 4.4: a successful POST evicts the path of its {@code Location}. A {@code Location} set as text and relative
 * is made absolute by Jersey after the response filters, against the application's base URI (as JAX-RS says of
 * relative locations); the eviction must name that same path, not the one the text names relative to the request.
 */
class RelativeLocationEvictionTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(new ProductResource())
                .register(ResponseCacheFeature.class)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postWhoseRelativeLocationJerseyResolvesAgainstTheBaseUriEvictsThatPath() {
        HttpResponse<String> before = server.getText("/api/shop/products/42");
        assertEquals(404, before.statusCode());
        HttpResponse<byte[]> created = server.send(server.request("/api/shop/products")
                .POST(HttpRequest.BodyPublishers.ofString("42")).build());
        assertEquals(201, created.statusCode());
        String location = created.headers().firstValue("Location").orElseThrow();
        assertEquals(server.uri("/api/shop/products/42").toString(), location);
        HttpResponse<String> after = server.getText("/api/shop/products/42");
        assertEquals(200, after.statusCode(), "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none"));
    }

    @Path("shop/products")
    public static final class ProductResource {
        private final Map<String, String> products = new ConcurrentHashMap<>();

        @GET
        @Path("{id}")
        @CacheResponse(ttl = 600)
        public Response get(@PathParam("id") String id) {
            String product = products.get(id);
            return product == null ? Response.status(404).entity("no product " + id).build()
                    : Response.ok(product).build();
        }

        @POST
        public Response create(byte[] body) {
            String id = new String(body, StandardCharsets.UTF_8);
            products.put(id, "product " + id);
            // Relative to the application's base URI, as JAX-RS resolves a relative location.
            return Response.status(201).header("Location", "shop/products/" + id).build();
        }
    }
}
