package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.CountingStoreProvider;
import dev.responsecache.testing.TestServer;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.MutableClock;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A miss on a path whose hits are answered in front of the method's lookup (before matching, or in front of the
 * runtime) reads the store once: the peek in front keeps its read on the request and the lookup takes it as its own.
 */
class PeekedReadTest {

    private final AtomicInteger reads = new AtomicInteger();
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(boolean withInitializer) {
        ResourceConfig app = new ResourceConfig().register(new CountingResource())
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "counting")
                .property(CountingStoreProvider.READS, reads);
        server = TestServer.jersey(app);
        if (withInitializer) {
            server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        }
        server.start();
    }

    private static String cacheHeader(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** Reads made by one request. */
    private int readsOf(String path) {
        int before = reads.get();
        server.getText(path);
        return reads.get() - before;
    }

    @Test
    void missOnAPathAnsweredBeforeMatchingReadsTheStoreOnce() {
        start(false);
        assertEquals(1, readsOf("/api/items/1"), "an unknown path is not peeked");
        assertEquals(1, readsOf("/api/items/1?v=2"), "peeked before matching, then looked up by the method");
        assertEquals("HIT", cacheHeader(server.getText("/api/items/1?v=2")));
    }

    @Test
    void missBehindTheServletLevelPeekReadsTheStoreOnce() {
        start(true);
        assertEquals(1, readsOf("/api/items/2"));
        assertEquals(1, readsOf("/api/items/2?v=2"), "peeked in front of the runtime, before matching, then looked up");
        int before = reads.get();
        HttpResponse<String> hit = server.getText("/api/items/2?v=2");
        assertEquals("HIT", cacheHeader(hit));
        assertEquals(1, reads.get() - before);
    }

    @Test
    void staleNearCopyInHeaderModeIsReadPastTheNearTierOnceByPeekAndLookup() {
        MutableClock clock = new MutableClock();
        ResourceConfig app = new ResourceConfig().register(HeaderDriven.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "counting")
                .property(CountingStoreProvider.READS, reads)
                .property(ResponseCacheProperties.TTL_FROM_HEADERS, "true")
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100")
                .property(ResponseCacheProperties.CLOCK, clock);
        server = TestServer.jersey(app).start();
        server.getText("/api/headed/1");
        assertEquals("MISS", cacheHeader(server.getText("/api/headed/1?v=2")));
        assertEquals(0, readsOf("/api/headed/1?v=2"), "a fresh hit is answered by the near copy");
        clock.advance(Duration.ofSeconds(11));
        // Stale by its headers, the near copy may hide another instance's refresh: the peek before matching reads
        // the shared store, and the method's lookup takes that read instead of reading it again.
        assertEquals(1, readsOf("/api/headed/1?v=2"));
    }

    /** Fresh for what its own Cache-Control says (header-driven freshness), then kept to be served stale. */
    @Path("headed/{id}")
    public static final class HeaderDriven {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public Response headed(@PathParam("id") String id) {
            return Response.ok("item " + id).header("Cache-Control", "max-age=10, stale-while-revalidate=600").build();
        }
    }
}
