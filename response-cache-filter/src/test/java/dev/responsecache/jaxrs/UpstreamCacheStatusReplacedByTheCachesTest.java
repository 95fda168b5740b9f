package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A method that returns a {@code Cache-Status} of its own (an application relaying an upstream cache's status): the
 * JAX-RS adapter put its member in the method's place ({@code putSingle}), so the upstream's members were lost. What
 * it should get (RFC 9211 2): the method's members first, then exactly one member of this cache, on the miss and on
 * every hit (before matching, or in the method's lookup when the application has a response filter), in both modes;
 * {@code X-Cache} is this cache's alone. The servlet adapter does the same
 * ({@code UpstreamCacheStatusReplacedTheCachesOwnTest}).
 */
class UpstreamCacheStatusReplacedByTheCachesTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void methodsMembersComeFirstAndTheCachesOnceOnHitsBeforeMatching() {
        server = TestServer.jersey(new ResourceConfig().register(UpstreamCached.class)
                .register(ResponseCacheFeature.class)).start();
        assertUpstreamMembersFirst("/api/upstream-cached/ttl");
        assertUpstreamMembersFirst("/api/upstream-cached/headers");
    }

    @Test
    void methodsMembersComeFirstAndTheCachesOnceOnHitsOfTheMethodsLookup() {
        // A response filter of the application's own keeps hits in the method's lookup (CachingFilter).
        server = TestServer.jersey(new ResourceConfig().register(UpstreamCached.class)
                .register(ResponseCacheFeature.class)
                .register((ContainerResponseFilter) (request, response) -> { })).start();
        assertUpstreamMembersFirst("/api/upstream-cached/ttl");
        assertUpstreamMembersFirst("/api/upstream-cached/headers");
    }

    private void assertUpstreamMembersFirst(String path) {
        HttpResponse<String> miss = server.getText(path);
        assertEquals(List.of("MISS"), miss.headers().allValues("X-Cache"), path);
        assertEquals(List.of("OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; fwd=uri-miss"),
                miss.headers().allValues("Cache-Status"), path);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> hit = server.getText(path);
            assertEquals("page", hit.body(), path);
            assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"), path);
            List<String> status = hit.headers().allValues("Cache-Status");
            assertEquals(1, status.size(), path + ": " + status);
            assertTrue(status.get(0).matches("OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; hit; ttl=\\d+"),
                    path + ": the stored members, then this hit's member alone: " + status);
        }
    }

    /**
     * The miss left out an empty {@code Cache-Status} line and trimmed a padded one, but the entry kept them as the
     * method sent them and every hit joined them as they were: an empty member first, the padding inside the list.
     */
    @Test
    void blankCacheStatusLineLeftAnEmptyMemberOnHits() {
        server = TestServer.jersey(new ResourceConfig().register(UpstreamCached.class)
                .register(ResponseCacheFeature.class)).start();
        for (String path : List.of("/api/upstream-cached/odd", "/api/upstream-cached/odd-headers")) {
            HttpResponse<String> miss = server.getText(path);
            assertEquals(List.of("OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; fwd=uri-miss"),
                    miss.headers().allValues("Cache-Status"), path);
            HttpResponse<String> hit = server.getText(path);
            assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"), path);
            List<String> status = hit.headers().allValues("Cache-Status");
            assertEquals(1, status.size(), path + ": " + status);
            assertTrue(status.get(0).matches("OriginCache; hit, Edge; fwd=uri-miss, ResponseCache; hit; ttl=\\d+"),
                    path + ": " + status);
        }
    }

    /**
     * The header-driven mode's revalidation: the method's 304 (an upstream cache's hit) replaces the stored members,
     * as it replaces any field it carries (RFC 9111 4.3.4), and the entry keeps its body and {@code ETag}; the next
     * hit shows the 304's member, then this cache's.
     */
    @Test
    void revalidating304ReplacesTheStoredMembers() {
        Revalidated resource = new Revalidated();
        server = TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class))
                .start();
        HttpResponse<String> miss = server.getText("/api/revalidated");
        assertEquals(List.of("OriginCache; fwd=uri-miss; stored, ResponseCache; fwd=uri-miss"),
                miss.headers().allValues("Cache-Status"));
        HttpResponse<String> revalidated = server.getText("/api/revalidated");
        assertEquals("page 1", revalidated.body());
        assertEquals(List.of("REVALIDATED"), revalidated.headers().allValues("X-Cache"));
        assertEquals(List.of("\"v1\""), revalidated.headers().allValues("ETag"));
        List<String> status = revalidated.headers().allValues("Cache-Status");
        assertEquals(1, status.size(), status.toString());
        assertTrue(status.get(0).matches("OriginCache; hit, ResponseCache; fwd=stale; fwd-status=304; ttl=\\d+"),
                status.toString());
        HttpResponse<String> hit = server.getText("/api/revalidated");
        assertEquals("page 1", hit.body());
        assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"));
        status = hit.headers().allValues("Cache-Status");
        assertEquals(1, status.size(), status.toString());
        assertTrue(status.get(0).matches("OriginCache; hit, ResponseCache; hit; ttl=\\d+"), status.toString());
        assertEquals(2, resource.calls.get());
    }

    @Path("revalidated")
    public static final class Revalidated {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
        public Response get(@Context Request request) {
            int call = calls.incrementAndGet();
            EntityTag tag = new EntityTag("v1");
            Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
            if (notModified != null) {
                return notModified.tag(tag).header("Cache-Control", "max-age=60")
                        .header("Cache-Status", "OriginCache; hit").header("X-Cache", "HIT").build();
            }
            return Response.ok("page " + call, MediaType.TEXT_PLAIN).tag(tag).header("Cache-Control", "no-cache")
                    .header("Cache-Status", "OriginCache; fwd=uri-miss; stored").header("X-Cache", "MISS").build();
        }
    }

    @Path("upstream-cached")
    public static final class UpstreamCached {
        @GET
        @Path("ttl")
        @CacheResponse(ttl = 60)
        public Response ttl() {
            return page();
        }

        @GET
        @Path("headers")
        @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
        public Response headers() {
            return page();
        }

        @GET
        @Path("odd")
        @CacheResponse(ttl = 60)
        public Response odd() {
            return oddlySpaced();
        }

        @GET
        @Path("odd-headers")
        @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
        public Response oddHeaders() {
            return oddlySpaced();
        }

        /** An upstream status relayed as it came: an empty line, a member padded with spaces, another line. */
        private static Response oddlySpaced() {
            return Response.ok("page", MediaType.TEXT_PLAIN)
                    .header("Cache-Control", "max-age=60")
                    .header("Cache-Status", "")
                    .header("Cache-Status", "  OriginCache; hit  ")
                    .header("Cache-Status", "Edge; fwd=uri-miss")
                    .build();
        }

        private static Response page() {
            return Response.ok("page", MediaType.TEXT_PLAIN)
                    .header("Cache-Control", "max-age=60")
                    .header("Cache-Status", "OriginCache; hit")
                    .header("Cache-Status", "Edge; fwd=uri-miss")
                    .header("X-Cache", "HIT")
                    .build();
        }
    }
}
