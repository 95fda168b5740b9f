package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.LastResponseFilters;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.LowestPriorityCookies;
import dev.responsecache.testing.OrderedProviders.At50;
import dev.responsecache.testing.OrderedProviders.InterceptorAt50;
import dev.responsecache.testing.OrderedProviders.Unprioritised;
import dev.responsecache.testing.OrderedProviders.UnprioritisedInterceptor;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.WriterInterceptor;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * Jersey ranks a provider by a priority given at registration only when it is above 0: registered at 0 or below, it
 * runs at its {@code @Priority}, else {@code USER}. The cache read such a registration as the priority given and left
 * the method uncached (a filter at 0 would run after its last one) although the filter ran at {@code USER}. Each test
 * orders the provider against one at 50: the header lines show where Jersey ran it, on the miss and on the hit.
 */
class RegistrationPriorityOfZeroLeftTheMethodUncachedOnJerseyTest {

    @Test
    void responseFilterRegisteredAtZeroOrBelowRunsAtUserAndTheMethodIsCached() {
        for (ResourceConfig app : List.of(
                new ResourceConfig().register(Unprioritised.class, 0),
                new ResourceConfig().register(new Unprioritised(), 0),
                new ResourceConfig().register(Unprioritised.class, -5),
                new ResourceConfig().register(Unprioritised.class, Map.of(ContainerResponseFilter.class, 0)))) {
            // Response filters run in descending priority: the unprioritised one (USER) first, then the one at 50.
            assertCachedInOrder(app.register(At50.class), List.of("user", "50"));
        }
    }

    @Test
    void writerInterceptorRegisteredAtZeroRunsAtUserAndTheMethodIsCached() {
        for (ResourceConfig app : List.of(
                new ResourceConfig().register(UnprioritisedInterceptor.class, 0),
                new ResourceConfig().register(UnprioritisedInterceptor.class, Map.of(WriterInterceptor.class, -1)))) {
            // Writer interceptors run in ascending priority: the one at 50 around the unprioritised one (USER).
            assertCachedInOrder(app.register(InterceptorAt50.class), List.of("50", "user"));
        }
    }

    @Test
    void responseFilterAtPriorityOneRegisteredAtZeroStillRunsAtOneAndLeavesTheMethodUncached() {
        Visits resource = new Visits();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer server = TestServer.jersey(new ResourceConfig().register(resource)
                     .register(LowestPriorityCookies.Filter.class, 0).register(ResponseCacheFeature.class)).start()) {
            for (int visit = 1; visit <= 2; visit++) {
                HttpResponse<String> page = server.getText("/api/visits");
                assertEquals("visit " + visit, page.body());
                assertEquals(List.of("visitor=" + visit), page.headers().allValues("Set-Cookie"));
                assertNotEquals("HIT", page.headers().firstValue("X-Cache").orElse("none"));
            }
            assertTrue(log.messagesAtLeast(Level.WARNING).stream()
                    .anyMatch(line -> line.contains("Visits#page is not cached")
                            && line.contains("LowestPriorityCookies$Filter")),
                    log.messagesAtLeast(Level.WARNING).toString());
        }
    }

    @Test
    void responseFilterAtMaxValueRegisteredAtZeroStillTiesWithTheCachesFirstOneAndFailsTheStartUp() {
        ResponseCacheConfigException error = JerseyStartup.error(new ResourceConfig(Visits.class)
                .register(LastResponseFilters.AtMaxValue.class, 0).register(ResponseCacheFeature.class));
        assertTrue(error.getMessage().contains(LastResponseFilters.AtMaxValue.class.getName()), error.getMessage());
    }

    private static void assertCachedInOrder(ResourceConfig app, List<String> order) {
        Visits resource = new Visits();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             TestServer server = TestServer.jersey(app.register(resource).register(ResponseCacheFeature.class))
                     .start()) {
            HttpResponse<String> miss = server.getText("/api/visits");
            HttpResponse<String> hit = server.getText("/api/visits");
            assertEquals("visit 1", miss.body());
            assertEquals("visit 1", hit.body());
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(order, miss.headers().allValues("X-Order"));
            assertEquals(order, hit.headers().allValues("X-Order"));
            assertFalse(log.messagesAtLeast(Level.WARNING).stream().anyMatch(line -> line.contains("is not cached")),
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
