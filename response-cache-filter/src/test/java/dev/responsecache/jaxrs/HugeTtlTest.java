package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A ttl that passes validation is stored, capped to a year, rather than accepted and then silently not stored. */
class HugeTtlTest {

    @Test
    void ttlOfLongMaxValueIsStoredAndServedForAYear() {
        MutableClock clock = new MutableClock();
        LongLivedApp app = new LongLivedApp();
        try (TestServer server = TestServer.jersey(app.config().property(ResponseCacheProperties.CLOCK, clock))
                .start()) {
            HttpResponse<String> miss = server.getText("/api/forever");
            HttpResponse<String> hit = server.getText("/api/forever");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.body(), hit.body());
            assertTrue(hit.headers().firstValue("Cache-Status").orElseThrow().endsWith("; ttl=31536000"),
                    hit.headers().firstValue("Cache-Status").orElseThrow());
            clock.advance(Duration.ofDays(365));
            assertEquals("MISS", server.getText("/api/forever").headers().firstValue("X-Cache").orElseThrow());
            assertEquals(2, app.calls());
        }
    }
}
