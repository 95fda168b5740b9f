package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A method that answers an error status with an empty entity: its hit is what its miss was, an empty body, not the
 * container's error page that Jersey sends for an error response without an entity.
 */
class EmptyErrorBodyTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void assertHitsAsTheirMisses() {
        assertHitAsTheMiss("/api/empty-404");
        // Without an entity Jersey sends the container's error page, which is never stored: that one stays a miss.
        HttpResponse<String> errorPage = server.getText("/api/empty-404/none");
        HttpResponse<String> again = server.getText("/api/empty-404/none");
        assertEquals("MISS", again.headers().firstValue("X-Cache").orElse("none"));
        assertEquals(errorPage.body(), again.body());
    }

    private void assertHitAsTheMiss(String path) {
        HttpResponse<String> miss = server.getText(path);
        HttpResponse<String> hit = server.getText(path);
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse("none"));
        assertEquals(404, miss.statusCode());
        assertEquals("", miss.body());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
        assertEquals(404, hit.statusCode());
        assertEquals(miss.body(), hit.body());
        assertEquals(miss.headers().firstValue("Content-Type"), hit.headers().firstValue("Content-Type"));
    }

    @Test
    void emptyNotFoundHitBeforeMatchingIsTheEmptyMissNotTheContainersErrorPage() {
        server = TestServer.jersey(new ResourceConfig().register(EmptyNotFound.class)
                .register(ResponseCacheFeature.class)).start();
        assertHitsAsTheirMisses();
    }

    @Test
    void emptyNotFoundHitOfTheMethodsLookupIsTheEmptyMissNotTheContainersErrorPage() {
        // A response filter of the application's own keeps hits in the method's lookup (CachingFilter).
        server = TestServer.jersey(new ResourceConfig().register(EmptyNotFound.class)
                .register(ResponseCacheFeature.class)
                .register((jakarta.ws.rs.container.ContainerResponseFilter) (request, response) -> { })).start();
        assertHitsAsTheirMisses();
    }

    @Path("empty-404")
    public static final class EmptyNotFound {
        @GET
        @CacheResponse(ttl = 60, statuses = {200, 404})
        public Response get() {
            return Response.status(404).entity("").type(MediaType.TEXT_PLAIN).build();
        }

        @GET
        @Path("none")
        @CacheResponse(ttl = 60, statuses = {200, 404})
        public Response none() {
            return Response.status(404).build();
        }
    }
}
