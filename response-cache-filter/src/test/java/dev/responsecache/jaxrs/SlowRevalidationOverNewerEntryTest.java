package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A header-driven stale-while-revalidate refresh that JAX-RS runs as its request's own miss (no servlet filter in
 * front to run it after the answer) and that outlasts its window: a later miss stores a newer entry, so the refresh's
 * 304 is not stored over it. Its client still gets what the 304 validated: the stored headers updated by the 304's
 * (RFC 9111 4.3.4), not those from before it.
 */
class SlowRevalidationOverNewerEntryTest {

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong();
    private final SlowRevalidationResource resource = new SlowRevalidationResource();
    private final TestServer server = TestServer.jersey(new ResourceConfig().register(resource)
            .register(ResponseCacheFeature.class)
            .property(ResponseCacheProperties.CLOCK, clock)
            .property(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)).start();

    @AfterEach
    void stop() {
        resource.refreshMayEnd.countDown();
        server.close();
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void revalidationWhoseStoreIsDroppedAnswersTheHeadersThe304Updated() throws Exception {
        assertEquals("version 1", server.getText("/api/slow-revalidation").body());
        advance(Duration.ofSeconds(15));
        CompletableFuture<HttpResponse<String>> refreshing =
                CompletableFuture.supplyAsync(() -> server.getText("/api/slow-revalidation"));
        assertTrue(resource.refreshRead.await(SlowRevalidationResource.WAIT.toSeconds(), TimeUnit.SECONDS),
                "the refresh runs");

        // Past the window, the refresh's hold on the key and the coalescing wait; the data changes.
        advance(Duration.ofSeconds(60));
        resource.version.set(2);
        assertEquals("version 2", server.getText("/api/slow-revalidation").body());

        resource.refreshMayEnd.countDown();
        HttpResponse<String> validated = refreshing.get(SlowRevalidationResource.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, validated.statusCode());
        assertEquals("version 1", validated.body(), "what the 304 validated, when the refresh began");
        assertEquals("REVALIDATED", validated.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("2", validated.headers().firstValue("X-Validated").orElse("none"), "the 304's headers");
        assertEquals("max-age=60", validated.headers().firstValue("Cache-Control").orElseThrow());

        HttpResponse<String> after = server.getText("/api/slow-revalidation");
        assertEquals("version 2", after.body(), "the newer entry stays");
        assertEquals("HIT", after.headers().firstValue("X-Cache").orElseThrow());
    }
}
