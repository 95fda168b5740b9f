package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.LastResponseFilters;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestFilter;

import java.net.http.HttpResponse;
import java.util.List;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * The start-up refusal of a response filter at {@code Integer.MAX_VALUE} applies to the filters a cached method runs
 * only: it failed the start-up of an application caching nothing, of one whose filter is name-bound to uncached
 * methods only (a token endpoint's), and of one registering such a class for the request filter contract only.
 */
class ResponseFilterPriorityTieBindingTest {

    @Path("r")
    public static final class Resource {
        @GET
        @Path("token")
        @LastResponseFilters.Traced
        @Produces("text/plain")
        public String token() {
            return "token";
        }

        @GET
        @Path("cached")
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public String cached() {
            return "cached";
        }
    }

    @Path("c")
    public static final class CachedAndTraced {
        @GET
        @LastResponseFilters.Traced
        @Produces("text/plain")
        @CacheResponse(ttl = 600)
        public String get() {
            return "traced";
        }
    }

    @Path("u")
    public static final class Uncached {
        @GET
        @Produces("text/plain")
        public String get() {
            return "uncached";
        }
    }

    @Test
    void responseFilterAtMaxValueInAnApplicationCachingNothingStarts() {
        ResourceConfig app = new ResourceConfig(Uncached.class).register(LastResponseFilters.AtMaxValue.class)
                .register(ResponseCacheFeature.class);
        try (TestServer server = TestServer.jersey(app).start()) {
            HttpResponse<String> response = server.getText("/api/u");
            assertEquals("uncached", response.body());
            assertEquals(List.of("app"), response.headers().allValues("X-Trace"));
        }
    }

    @Test
    void responseFilterAtMaxValueNameBoundToAnUncachedMethodOnlyStartsAndCachedMethodsHitWithoutIt() {
        ResourceConfig app = new ResourceConfig(Resource.class).register(LastResponseFilters.BoundAtMaxValue.class)
                .register(ResponseCacheFeature.class);
        try (TestServer server = TestServer.jersey(app).start()) {
            HttpResponse<String> token = server.getText("/api/r/token");
            assertEquals(List.of("bound"), token.headers().allValues("X-Trace"));
            server.getText("/api/r/cached");
            HttpResponse<String> hit = server.getText("/api/r/cached");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of(), hit.headers().allValues("X-Trace"));
        }
    }

    @Test
    void responseFilterAtMaxValueNameBoundToACachedMethodFailsTheStartUpNamingTheFilterAndTheMethod() {
        ResourceConfig app = new ResourceConfig(Resource.class, CachedAndTraced.class)
                .register(LastResponseFilters.BoundAtMaxValue.class).register(ResponseCacheFeature.class);
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> new ApplicationHandler(app));
        ResponseCacheConfigException error = configError(thrown);
        assertTrue(error.getMessage().contains(LastResponseFilters.BoundAtMaxValue.class.getName()), error.getMessage());
        assertTrue(error.getMessage().contains(CachedAndTraced.class.getName() + "#get"), error.getMessage());
    }

    /**
     * Starts: as a response filter it never runs. As a request filter at {@code Integer.MAX_VALUE} it runs for the
     * method, and no lookup can follow it, so the method is served uncached rather than letting hits skip it.
     */
    @Test
    void classAtMaxValueRegisteredAsARequestFilterOnlyStarts() {
        ResourceConfig app = new ResourceConfig(Resource.class).register(ResponseCacheFeature.class)
                .register(LastResponseFilters.BothAtMaxValue.class, ContainerRequestFilter.class);
        try (TestServer server = TestServer.jersey(app).start()) {
            server.getText("/api/r/cached");
            HttpResponse<String> again = server.getText("/api/r/cached");
            assertEquals(200, again.statusCode());
            assertEquals("none", again.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(List.of(), again.headers().allValues("X-Trace"));
        }
    }

    private static ResponseCacheConfigException configError(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseCacheConfigException config) {
                return config;
            }
        }
        throw new AssertionError("start-up failed without naming the filter", thrown);
    }
}
