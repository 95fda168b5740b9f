package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.LowestPriorityCookies;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * The cache stores a response once every application response filter and writer interceptor has had its say (its
 * last filter and outermost interceptor at priority 1, the lowest Jersey takes at registration). One at priority 1 or
 * below may run after it and add a {@code Set-Cookie} the cache never sees: such a method is left uncached, with a
 * warning, and answers as without the cache. (The lines added between the cache's filters are in
 * {@code ContractSuite.lineAddedAfterTheStoreDecisionStillKeepsTheResponseFromOtherUsers}, on every runtime.)
 */
class LineAddedBelowTheCachesLastFilterTest {

    @Test
    void responseFilterAtTheLowestPriorityLeavesTheMethodUncached() {
        assertUncached(LowestPriorityCookies.Filter.class, "LowestPriorityCookies$Filter");
    }

    @Test
    void writerInterceptorAtTheLowestPriorityLeavesTheMethodUncached() {
        assertUncached(LowestPriorityCookies.Interceptor.class, "LowestPriorityCookies$Interceptor");
    }

    private static void assertUncached(Class<?> late, String name) {
        Visits resource = new Visits();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer server = TestServer.jersey(new ResourceConfig().register(resource).register(late)
                     .register(ResponseCacheFeature.class)).start()) {
            for (int visit = 1; visit <= 2; visit++) {
                HttpResponse<String> page = server.getText("/api/visits");
                assertEquals("visit " + visit, page.body());
                assertEquals(List.of("visitor=" + visit), page.headers().allValues("Set-Cookie"));
                assertNotEquals("HIT", page.headers().firstValue("X-Cache").orElse("none"));
            }
            assertTrue(log.messagesAtLeast(Level.WARNING).stream()
                    .anyMatch(line -> line.contains("Visits#page is not cached") && line.contains(name)),
                    log.messagesAtLeast(Level.WARNING).toString());
        }
    }

    @Path("visits")
    public static final class Visits {
        final AtomicInteger visits = new AtomicInteger();

        @GET
        @CacheResponse(ttl = 60)
        public Response page() {
            int visit = visits.incrementAndGet();
            return Response.ok("visit " + visit).header("X-Visit", visit).build();
        }
    }
}
