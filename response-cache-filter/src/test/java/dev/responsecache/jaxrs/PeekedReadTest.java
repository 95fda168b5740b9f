package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.CountingStoreProvider;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
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
}
