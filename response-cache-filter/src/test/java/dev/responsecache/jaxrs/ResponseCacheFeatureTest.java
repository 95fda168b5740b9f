package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResponseCacheFeatureTest {

    private final MutableClock clock = new MutableClock();
    private final CountingResource resource = new CountingResource();
    private TestServer server;

    @BeforeEach
    void start() {
        ResourceConfig app = new ResourceConfig()
                .register(resource)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock);
        server = TestServer.jersey(app).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void secondRequestIsAHitWithoutInvokingTheMethod() {
        HttpResponse<String> first = server.getText("/api/items/1");
        HttpResponse<String> second = server.getText("/api/items/1");
        assertEquals(200, first.statusCode());
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(first.body(), second.body());
        assertEquals("application/json", second.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(1, resource.calls.get());
        assertTrue(second.headers().firstValue("Cache-Status").orElseThrow().startsWith("ResponseCache; hit"));
        assertEquals("0", second.headers().firstValue("Age").orElseThrow());
    }

    @Test
    void entryExpiresAfterTtlOnTheInjectedClock() {
        server.getText("/api/items/2");
        clock.advance(Duration.ofSeconds(59));
        HttpResponse<String> beforeExpiry = server.getText("/api/items/2");
        assertEquals("HIT", beforeExpiry.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("59", beforeExpiry.headers().firstValue("Age").orElseThrow());
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> afterExpiry = server.getText("/api/items/2");
        assertEquals("MISS", afterExpiry.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(2, resource.calls.get());
        assertNotEquals(beforeExpiry.body(), afterExpiry.body());
    }

    @Test
    void binaryBodyIsReplayedByteForByte() {
        HttpResponse<byte[]> first = server.get("/api/binary");
        HttpResponse<byte[]> second = server.get("/api/binary");
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(first.body(), second.body());
        assertEquals(70_000, second.body().length);
    }
}
