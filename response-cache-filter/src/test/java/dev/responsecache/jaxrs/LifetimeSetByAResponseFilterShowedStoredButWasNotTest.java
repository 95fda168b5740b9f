package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * An application response filter gives a {@code FROM_HEADERS} method's response its lifetime
 * ({@code Cache-Control: max-age=60}). The header-driven mode stores what the method produced, which has none, and
 * refuses it ({@code no-lifetime}); the miss's {@code Cache-Status} was judged on the headers the client gets, which
 * have one, and showed a bare {@code fwd=uri-miss}: a miss that says it was stored, and every request another miss.
 */
class LifetimeSetByAResponseFilterShowedStoredButWasNotTest {

    /** Without {@code @Priority}: a user filter, which runs after the cache's snapshot of the method's headers. */
    public static final class LifetimeFilter implements ContainerResponseFilter {
        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            if (request.getUriInfo().getPath().endsWith("silent")) {
                response.getHeaders().putSingle("Cache-Control", "max-age=60");
            }
        }
    }

    @Test
    void aMissWithoutADetailIsStored() {
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(new HeaderDrivenResource())
                .register(LifetimeFilter.class)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, new MutableClock())).start()) {
            HttpResponse<String> miss = server.getText("/api/h/silent");
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("max-age=60", miss.headers().firstValue("Cache-Control").orElseThrow());
            String shown = miss.headers().firstValue("Cache-Status").orElseThrow();
            String next = server.getText("/api/h/silent").headers().firstValue("X-Cache").orElseThrow();
            // Either answer is consistent; a bare fwd=uri-miss followed by another miss is not.
            assertEquals(shown.equals("ResponseCache; fwd=uri-miss") ? "HIT" : "MISS", next, "miss showed " + shown);
        }
    }
}
