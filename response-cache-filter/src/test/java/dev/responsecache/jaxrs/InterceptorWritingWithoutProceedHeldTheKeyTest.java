package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.BodyWithoutProceedInterceptor;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * An application writer interceptor writes a body of its own without calling {@code proceed()}: the cache's
 * innermost interceptor, which takes the pending store and releases the key, never ran, and the next request for the
 * key waited out {@code coalesce-wait} (here longer than the client waits) behind a request long answered. The
 * cache's outermost interceptor now releases it.
 */
class InterceptorWritingWithoutProceedHeldTheKeyTest {

    @Test
    void keyIsReleasedWhenTheInnermostInterceptorNeverRan() {
        Page page = new Page();
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(page)
                .register(BodyWithoutProceedInterceptor.class).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.COALESCE_WAIT, "300s")).start()) {
            HttpResponse<String> own = server.getText("/api/page", BodyWithoutProceedInterceptor.OWN_BODY, "yes");
            assertEquals("written without proceed", own.body());
            // Behind a key still held, this one waited 300 s, past the client's 60 s (or, on the same server thread,
            // went on without the key and stored nothing).
            assertEquals("page 2", server.getText("/api/page").body());
            HttpResponse<String> hit = server.getText("/api/page");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertEquals("page 2", hit.body());
            assertEquals(2, page.calls.get());
        }
    }

    @Path("page")
    public static final class Page {
        final AtomicInteger calls = new AtomicInteger();

        @GET
        @Produces(MediaType.TEXT_PLAIN)
        @CacheResponse(ttl = 60)
        public String page() {
            return "page " + calls.incrementAndGet();
        }
    }
}
