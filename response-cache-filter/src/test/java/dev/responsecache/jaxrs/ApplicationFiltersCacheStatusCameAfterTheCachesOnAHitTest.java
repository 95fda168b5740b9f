package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.util.List;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application response filter that adds a {@code Cache-Status} member (an edge layer of the application's own)
 * runs before the cache's last response filter on the miss, which reads it as a member of a cache nearer the origin
 * and appends its own after it; on a hit the filter runs after the replay, and its member came after the cache's.
 * The order is the miss's on every answer: the stored members, the filter's, then the cache's, in one line.
 */
class ApplicationFiltersCacheStatusCameAfterTheCachesOnAHitTest {

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(Pages.class).register(ResponseCacheFeature.class)
                .register((ContainerResponseFilter) (request, response) ->
                        response.getHeaders().add("Cache-Status", "AppEdge; note"))).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void filtersMemberComesBeforeTheCachesOnAHitAsOnTheMiss() {
        assertEquals(List.of("AppEdge; note, ResponseCache; fwd=uri-miss"),
                server.getText("/api/pages/plain").headers().allValues("Cache-Status"));
        List<String> hit = server.getText("/api/pages/plain").headers().allValues("Cache-Status");
        assertEquals(1, hit.size(), hit.toString());
        assertTrue(hit.get(0).matches("AppEdge; note, ResponseCache; hit; ttl=\\d+"), hit.toString());
    }

    @Test
    void storedMembersComeFirstThenTheFiltersThenTheCaches() {
        assertEquals(List.of("OriginCache; hit, AppEdge; note, ResponseCache; fwd=uri-miss"),
                server.getText("/api/pages/relayed").headers().allValues("Cache-Status"));
        List<String> hit = server.getText("/api/pages/relayed").headers().allValues("Cache-Status");
        assertEquals(1, hit.size(), hit.toString());
        assertTrue(hit.get(0).matches("OriginCache; hit, AppEdge; note, ResponseCache; hit; ttl=\\d+"),
                hit.toString());
    }

    @Path("pages")
    public static final class Pages {
        @GET
        @Path("plain")
        @CacheResponse(ttl = 60)
        public Response plain() {
            return Response.ok("plain", MediaType.TEXT_PLAIN).build();
        }

        @GET
        @Path("relayed")
        @CacheResponse(ttl = 60)
        public Response relayed() {
            return Response.ok("relayed", MediaType.TEXT_PLAIN).header("Cache-Status", "OriginCache; hit").build();
        }
    }
}
