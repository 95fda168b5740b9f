package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.LateReplacingFilter;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application response filter below the cache's filter at {@code STORE_PRIORITY} (100) and above its last one
 * (1) replaces the status of a response with an entity, or takes its entity away, after the cache judged it
 * storable. The status: the entry kept the method's 200, and a hit, whose entity is the stored bytes the filter
 * cannot judge, answered 200 where the application answers 403. The entity: no writer ran, so nothing released the
 * key, and the next request for it waited out {@code coalesce-wait} (here longer than the client waits) behind a
 * request that had long been answered. Both are now refused where the cache's last filter sees them, as such a
 * change above 100 is, and the key released.
 */
class StatusOrEntityReplacedBelowTheCachesFilterTest {

    private static final String REFUSED = "ResponseCache; fwd=uri-miss; detail=";

    private final Pages pages = new Pages();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(pages).register(LateReplacingFilter.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.COALESCE_WAIT, "300s")).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void statusReplacedBelowTheCachesFilterIsNotStored() {
        List<String> statuses = new ArrayList<>();
        for (int call = 1; call <= 2; call++) {
            HttpResponse<String> page = server.getText("/api/pages/hidden");
            assertEquals(403, page.statusCode(), "call " + call);
            assertEquals("hidden " + call, page.body());
            statuses.add(page.headers().firstValue("Cache-Status").orElse("none"));
        }
        assertEquals(2, pages.calls.get());
        assertEquals(List.of(REFUSED + "status-replaced", REFUSED + "status-replaced"), statuses);
    }

    @Test
    void entityTakenAwayBelowTheCachesFilterReleasesTheKey() {
        HttpResponse<String> dropped = server.getText("/api/pages/page", LateReplacingFilter.DROP, "yes");
        assertEquals(200, dropped.statusCode());
        assertEquals("", dropped.body());
        // Behind a key still held, this one waited 300 s, past the client's 60 s (or, on the same server thread,
        // went on without the key and stored nothing).
        assertEquals("page 2", server.getText("/api/pages/page").body());
        HttpResponse<String> hit = server.getText("/api/pages/page");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("page 2", hit.body());
        assertEquals(2, pages.calls.get());
        assertEquals(REFUSED + "entity-replaced", dropped.headers().firstValue("Cache-Status").orElse("none"));
    }

    @Test
    void unchangedResponseIsStoredOnce() {
        assertEquals("plain 1", server.getText("/api/pages/plain").body());
        HttpResponse<String> hit = server.getText("/api/pages/plain");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("plain 1", hit.body());
        assertEquals(1, pages.calls.get());
    }

    @Path("pages")
    public static final class Pages {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Path("{name}")
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String page(@PathParam("name") String name) {
            return name + " " + calls.incrementAndGet();
        }
    }
}
