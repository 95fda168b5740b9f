package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stale-if-error on Jersey, where it is the JAX-RS adapter's own: a thrown {@code WebApplicationException}. What both
 * adapters do alike is {@code StaleIfErrorParityContract}'s, in runtime-tests.
 */
class StaleIfErrorTest {

    private final MutableClock clock = new MutableClock();
    private final FlakyResource resource = new FlakyResource();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.CLOCK, clock)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> storeThenExpire(String path) {
        HttpResponse<String> miss = server.getText(path);
        assertEquals(200, miss.statusCode());
        clock.advance(Duration.ofSeconds(61));
        return miss;
    }

    /** JAX-RS maps a thrown {@code WebApplicationException} itself: the filters see its 503 as a response. */
    @Test
    void thrownWebApplicationExceptionWithinTheWindowIsAnsweredWithTheStaleEntryAndItsStatus() {
        HttpResponse<String> miss = storeThenExpire("/api/flaky/1");
        resource.mode.set(FlakyResource.Mode.THROWS_503);
        HttpResponse<String> stale = server.getText("/api/flaky/1");
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("1", stale.headers().firstValue("X-Item").orElseThrow());
        assertEquals("61", stale.headers().firstValue("Age").orElseThrow());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; fwd-status=503; ttl=-1",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals(2, resource.calls.get(), "the method ran, and failed");
    }

    @Test
    void entryEvictedWhileTheMethodRanNeverAnswersItsError() {
        storeThenExpire("/api/flaky/1");
        resource.mode.set(FlakyResource.Mode.EVICTS_THEN_THROWS_503);
        HttpResponse<String> failed = server.getText("/api/flaky/1");
        assertEquals(503, failed.statusCode(), "the entry evicted during the request answered its error");
    }
}
