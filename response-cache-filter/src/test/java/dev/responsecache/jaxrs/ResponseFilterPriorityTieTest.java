package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.LastResponseFilters;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * The cache's first response filter records the headers to store at {@code Integer.MAX_VALUE}; an application filter
 * at the same priority may run before it, and its header was then stored and added again on every hit (sent twice).
 * Such an application fails to start, naming the filter; one just below is applied once, on hits as on misses.
 */
class ResponseFilterPriorityTieTest {

    @Test
    void responseFilterTyingWithTheCachesFirstResponseFilterFailsTheStartUpNamingIt() {
        for (ResourceConfig app : List.of(
                new ResourceConfig(Traced.class).register(LastResponseFilters.AtMaxValue.class)
                        .register(ResponseCacheFeature.class),
                new ResourceConfig(Traced.class).register(ResponseCacheFeature.class)
                        .register(new LastResponseFilters.AtMaxValue()),
                new ResourceConfig(Traced.class).register(ResponseCacheFeature.class).register(
                        LastResponseFilters.Unprioritised.class,
                        Map.of(ContainerResponseFilter.class, Integer.MAX_VALUE)))) {
            ResponseCacheConfigException error = JerseyStartup.error(app);
            assertTrue(error.getMessage().contains(LastResponseFilters.class.getName() + "$"), error.getMessage());
            assertTrue(error.getMessage().contains("2147483647"), error.getMessage());
        }
    }

    @Test
    void responseFilterJustBelowTheCachesFirstOneAddsItsHeaderOnceToHitsAsToMisses() {
        ResourceConfig app = new ResourceConfig(Traced.class).register(LastResponseFilters.JustBelow.class)
                .register(LastResponseFilters.Unprioritised.class).register(ResponseCacheFeature.class);
        try (TestServer server = TestServer.jersey(app).start()) {
            HttpResponse<String> miss = server.getText("/api/traced");
            HttpResponse<String> hit = server.getText("/api/traced");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of("app", "app"), miss.headers().allValues("X-Trace"));
            assertEquals(List.of("app", "app"), hit.headers().allValues("X-Trace"));
        }
    }

    @Path("traced")
    public static final class Traced {
        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public String get() {
            return "traced";
        }
    }
}
