package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * The JAX-RS sibling of the servlet filter's {@code ResponseToNoStoreRequestIsStoredTest}: RFC 9111 5.2.1.5, the
 * response to a request saying {@code Cache-Control: no-store} is not stored, and the next client gets the current
 * page from the method.
 */
class ResponseToNoStoreRequestOnJaxrsTest {

    private static final AtomicInteger VERSION = new AtomicInteger();

    @Test
    void responseToANoStoreRequestIsNotStored() {
        VERSION.set(1);
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(PageResource.class)
                .register(ResponseCacheFeature.class)).start()) {
            assertEquals("version 1", server.getText("/api/page", "Cache-Control", "no-store").body());
            VERSION.set(2);
            HttpResponse<String> next = server.getText("/api/page");
            assertEquals("version 2", next.body(), "X-Cache: "
                    + next.headers().firstValue("X-Cache").orElse("none"));
        }
    }

    @Path("page")
    public static final class PageResource {
        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = CacheResponse.FROM_HEADERS)
        public Response get() {
            return Response.ok("version " + VERSION.get()).header("Cache-Control", "max-age=60").build();
        }
    }
}
