package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hit answered before matching goes through no resource-bound provider: the writer interceptor that switches a
 * JAX-RS hit to the stored gzip bytes is registered for the whole application, so such a hit gets them too.
 */
class PreMatchingCompressedHitsTest {

    static final String JSON = "[" + "{\"id\":12345,\"name\":\"a product\",\"price\":12.50},".repeat(100) + "{}]";

    private final PreMatchingHitsTest.Matchings matchings = new PreMatchingHitsTest.Matchings();
    private TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void compressedEntryIsAnsweredBeforeMatchingInBothRepresentations() {
        server = TestServer.jersey(new ResourceConfig().register(new Products())
                .register(matchings).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.COMPRESS, "gzip")).start();
        assertEquals("MISS", cache(server.get("/api/products")));
        HttpResponse<byte[]> zipped = server.get("/api/products", "Accept-Encoding", "gzip");
        HttpResponse<byte[]> identity = server.get("/api/products");
        assertEquals(1, matchings.count.get(), "only the miss went through matching");

        assertEquals("HIT", cache(zipped));
        assertEquals(List.of("gzip"), zipped.headers().allValues("Content-Encoding"));
        assertEquals(JSON, FiltersAndEncodingReplayTest.gunzip(zipped.body()));
        assertEquals("HIT", cache(identity));
        assertEquals(List.of(), identity.headers().allValues("Content-Encoding"));
        assertEquals(JSON, new String(identity.body(), StandardCharsets.UTF_8));
        String identityTag = identity.headers().firstValue("ETag").orElseThrow();
        assertNotEquals(identityTag, zipped.headers().firstValue("ETag").orElseThrow());
        assertEquals(304, server.get("/api/products", "Accept-Encoding", "gzip", "If-None-Match",
                zipped.headers().firstValue("ETag").orElseThrow()).statusCode());
        assertEquals(304, server.get("/api/products", "If-None-Match", identityTag).statusCode());
    }

    private static String cache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Path("products")
    public static final class Products {
        @GET
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String products() {
            return JSON;
        }
    }
}
