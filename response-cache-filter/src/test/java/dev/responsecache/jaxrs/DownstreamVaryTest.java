package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.message.GZipEncoder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.EncodingFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Misses and hits tell downstream caches (a browser, a CDN) the request headers the entry is selected by, so that
 * they do not mix the variants this cache keeps apart.
 */
class DownstreamVaryTest {

    private final VariedResource resource = new VariedResource();
    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig().register(resource).register(ResponseCacheFeature.class);
        EncodingFilter.enableFor(app, GZipEncoder.class);
        server = TestServer.jersey(app).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * Jersey's {@code EncodingFilter} adds {@code Accept-Encoding} to the response's Vary; the cache's names join it
     * in the one field line, on a hit answered for a gzip client too. (What the cache names for each kind of key is
     * in the contract suite, for both adapters.)
     */
    @Test
    void varyAddedByTheEncodingFilterIsMergedOnTheMissThePlainHitAndTheGzipHit() {
        assertVary("/api/varied/language", "Accept-Encoding, Accept-Language", "Accept-Language", "de");
    }

    private void assertVary(String path, String expected, String header, String value) {
        HttpResponse<String> miss = server.getText(path, header, value);
        HttpResponse<String> hit = server.getText(path, header, value);
        HttpResponse<String> gzipHit = server.getText(path, header, value, "Accept-Encoding", "gzip");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", gzipHit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(List.of(expected), miss.headers().allValues("Vary"));
        assertEquals(List.of(expected), hit.headers().allValues("Vary"));
        assertEquals(List.of(expected), gzipHit.headers().allValues("Vary"));
        assertEquals(1, resource.calls.get());
    }

    @Path("varied")
    public static final class VariedResource {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Path("language")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60, varyBy = "header:Accept-Language")
        public String language() {
            return "language " + calls.incrementAndGet();
        }
    }
}
