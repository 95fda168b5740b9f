package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.http.HttpResponse;
import java.util.Map;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * Every application request filter that runs for a cached method runs before its lookup answers a hit, whatever its
 * priority: the cache's request filters of the method are placed above the highest of them. One the lookup cannot be
 * placed above (too near {@code Integer.MAX_VALUE}) leaves the method uncached, so it is never skipped either.
 */
class RequestFiltersAboveTheLookupRunOnHitsTest {

    @Test
    void nameBoundFilterAboveTheLookupRejectsARequestTheEntryWouldHaveAnswered() {
        assertRejectedAfterTheEntryIsFilled(new ResourceConfig(Reports.class).register(BoundKeyCheck.class),
                "/api/bound", true);
        assertRejectedAfterTheEntryIsFilled(new ResourceConfig(BoundReports.class).register(BoundKeyCheck.class),
                "/api/bound-class", true);
    }

    @Test
    void nameBoundFilterAboveTheLookupLeavesTheMethodsItIsNotBoundToAsTheyWere() {
        try (TestServer server = start(new ResourceConfig(Reports.class).register(BoundKeyCheck.class))) {
            server.getText("/api/open");
            HttpResponse<String> hit = server.getText("/api/open");
            assertEquals(200, hit.statusCode());
            assertEquals("HIT", cacheHeader(hit));
        }
    }

    @Test
    void filterAtExactlyTheLookupsOwnPriorityRunsBeforeEveryHit() {
        assertRejectedAfterTheEntryIsFilled(new ResourceConfig(Reports.class).register(UnprioritisedKeyCheck.class,
                Map.of(ContainerRequestFilter.class, CachingFilter.LOOKUP_PRIORITY)), "/api/open", true);
        assertRejectedAfterTheEntryIsFilled(new ResourceConfig(Reports.class).register(UnprioritisedKeyCheck.class,
                Map.of(ContainerRequestFilter.class, CachingFilter.LOOKUP_PRIORITY - LookupPriority.BELOW)),
                "/api/open", true);
    }

    @Test
    void filterAtTheHighestPriorityTheLookupCanFollowRunsBeforeEveryHit() {
        assertRejectedAfterTheEntryIsFilled(new ResourceConfig(Reports.class).register(UnprioritisedKeyCheck.class,
                Map.of(ContainerRequestFilter.class, LookupPriority.HIGHEST_PLACEABLE)), "/api/open", true);
    }

    @Test
    void filterAtIntegerMaxValueLeavesTheMethodUncachedRatherThanSkipped() {
        assertRejectedAfterTheEntryIsFilled(new ResourceConfig(Reports.class).register(KeyCheckAtMaxValue.class),
                "/api/open", false);
        assertRejectedAfterTheEntryIsFilled(new ResourceConfig(Reports.class).register(UnprioritisedKeyCheck.class,
                Map.of(ContainerRequestFilter.class, LookupPriority.HIGHEST_PLACEABLE + 1)), "/api/open", false);
    }

    @Test
    void filterAJerseyBinderBindsAboveTheLookupRunsBeforeEveryHit() {
        assertRejectedAfterTheEntryIsFilled(new ResourceConfig(Reports.class).register(
                new org.glassfish.jersey.internal.inject.AbstractBinder() {
                    @Override
                    protected void configure() {
                        bind(KeyCheckAboveTheLookup.class).to(ContainerRequestFilter.class).in(Singleton.class);
                    }
                }), "/api/open", true);
    }

    /**
     * A request with the key fills the entry; one without it is still refused (401, as without the cache); a second
     * request with the key is a hit only where the method is {@code cached}.
     */
    private static void assertRejectedAfterTheEntryIsFilled(ResourceConfig app, String path, boolean cached) {
        try (TestServer server = start(app)) {
            assertEquals(200, server.getText(path, "X-Api-Key", "key-1").statusCode());
            HttpResponse<String> anonymous = server.getText(path);
            assertEquals(401, anonymous.statusCode(), path + " X-Cache: " + cacheHeader(anonymous));
            HttpResponse<String> again = server.getText(path, "X-Api-Key", "key-1");
            assertEquals(200, again.statusCode());
            if (cached) {
                assertEquals("HIT", cacheHeader(again), path);
            } else {
                assertNotEquals("HIT", cacheHeader(again), path);
            }
        }
    }

    private static TestServer start(ResourceConfig app) {
        return TestServer.jersey(app.register(ResponseCacheFeature.class)).start();
    }

    private static String cacheHeader(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    public @interface KeyChecked {
    }

    @Path("/")
    public static final class Reports {
        @GET
        @Path("bound")
        @KeyChecked
        @CacheResponse(ttl = 600)
        public String bound() {
            return "bound";
        }

        @GET
        @Path("open")
        @CacheResponse(ttl = 600)
        public String open() {
            return "open";
        }
    }

    @Path("bound-class")
    @KeyChecked
    public static final class BoundReports {
        @GET
        @CacheResponse(ttl = 600)
        public String get() {
            return "bound by its class";
        }
    }

    /** Refuses a request without {@code X-Api-Key} with a 401. */
    public static class UnprioritisedKeyCheck implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getHeaderString("X-Api-Key") == null) {
                request.abortWith(Response.status(401).entity("no key").build());
            }
        }
    }

    @Priority(Priorities.USER + 2000)
    public static final class KeyCheckAboveTheLookup extends UnprioritisedKeyCheck {
    }

    @KeyChecked
    @Priority(Priorities.USER + 2000)
    public static final class BoundKeyCheck extends UnprioritisedKeyCheck {
    }

    @Priority(Integer.MAX_VALUE)
    public static final class KeyCheckAtMaxValue extends UnprioritisedKeyCheck {
    }
}
