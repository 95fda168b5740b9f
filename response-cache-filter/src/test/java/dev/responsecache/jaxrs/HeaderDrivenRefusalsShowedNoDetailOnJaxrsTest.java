package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * A {@code FROM_HEADERS} method whose response the header-driven mode refuses for a reason only the headers as a
 * whole tell (no lifetime, {@code Authorization} without {@code public}, too old on arrival) showed a bare
 * {@code Cache-Status: ResponseCache; fwd=uri-miss}, which says the response was stored: the adapter asked for the
 * reason before it applied those rules, which refused the response a moment later.
 */
class HeaderDrivenRefusalsShowedNoDetailOnJaxrsTest {

    private final HeaderDrivenResource resource = new HeaderDrivenResource();

    @Test
    void eachRefusalOfTheHeaderDrivenModeShowsItsDetail() {
        try (TestServer server = TestServer.jersey(new ResourceConfig().register(resource)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, new MutableClock())).start()) {
            assertRefused(server, "/api/h/silent", "no-lifetime");
            assertRefused(server, "/api/h/aged", "stale");
            assertRefused(server, "/api/h/max-age", "authorization", "Authorization", "Bearer t");
            HttpResponse<String> stored = server.getText("/api/h/max-age");
            assertEquals("ResponseCache; fwd=uri-miss", stored.headers().firstValue("Cache-Status").orElseThrow());
            assertEquals("HIT", server.getText("/api/h/max-age").headers().firstValue("X-Cache").orElseThrow());
        }
    }

    private static void assertRefused(TestServer server, String path, String detail, String... headers) {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> miss = server.getText(path, headers);
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow(), path);
            assertEquals("ResponseCache; fwd=uri-miss; detail=" + detail,
                    miss.headers().firstValue("Cache-Status").orElseThrow(), path);
        }
    }
}
