package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An entry stored gzipped in Redis by one instance is answered by another, in either representation. */
class RedisCompressedEntriesIT {

    static final String JSON = "[" + "{\"id\":12345,\"name\":\"a product with a name\",\"price\":12.50},".repeat(180)
            + "{}]";

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final Products products = new Products();
    private TestServer compressing;
    private TestServer plain;

    @AfterEach
    void stop() {
        compressing.close();
        plain.close();
    }

    private TestServer start(String compress) {
        ResourceConfig app = new ResourceConfig().register(products)
                .register(dev.responsecache.jaxrs.ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, redis.uri())
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")
                .property(ResponseCacheProperties.COMPRESS, compress);
        return TestServer.jersey(app).start();
    }

    @Test
    void entryStoredGzippedIsHeldSmallerAndAnsweredInBothRepresentationsByAnotherInstance() throws IOException {
        compressing = start("gzip");
        plain = start("off");
        assertEquals("MISS", cache(compressing.get("/api/products")));

        String key = redis.keys(prefix + "v" + EntryCodec.VERSION + ":").iterator().next();
        CacheEntry stored = EntryCodec.decode(redis.client().get(key.getBytes(StandardCharsets.UTF_8)));
        assertTrue(stored.gzipped());
        assertEquals(JSON.length(), stored.bodyLength());
        long held = redis.client().memoryUsage(key);
        assertTrue(held < JSON.length() / 4, "MEMORY USAGE " + held + " for a body of " + JSON.length());

        HttpResponse<byte[]> zipped = plain.get("/api/products", "Accept-Encoding", "gzip");
        assertEquals("HIT", cache(zipped));
        assertEquals(List.of("gzip"), zipped.headers().allValues("Content-Encoding"));
        assertEquals(stored.storedBodyLength(), zipped.body().length);
        assertEquals(JSON, new String(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(),
                StandardCharsets.UTF_8));
        HttpResponse<byte[]> identity = plain.get("/api/products");
        assertEquals("HIT", cache(identity));
        assertEquals(List.of(), identity.headers().allValues("Content-Encoding"));
        assertEquals(JSON, new String(identity.body(), StandardCharsets.UTF_8));
        assertEquals(1, products.calls.get());
    }

    private static String cache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Path("products")
    public static final class Products {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Produces(MediaType.APPLICATION_JSON)
        @CacheResponse(ttl = 60)
        public String products() {
            calls.incrementAndGet();
            return JSON;
        }
    }
}
