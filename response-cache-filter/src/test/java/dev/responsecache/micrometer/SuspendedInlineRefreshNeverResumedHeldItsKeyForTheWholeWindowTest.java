package dev.responsecache.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/**
 * Without the library's filter in front of Jersey, the request that wins a stale-while-revalidate refresh runs it
 * inline. A resource method that suspends its response ({@code @Suspended AsyncResponse}) and never resumes it held
 * the key's refresh claim for the rest of the stale-while-revalidate window: every other request got the stale page
 * and no refresh was tried again, long after the application recovered. The claim now stands no longer than the
 * request's own suspend timeout (Jersey answers it by then), or {@code coalesce-wait} without one, as the request's
 * own miss would. Real Jetty, real Jersey; cache time on the injected clock, claim time on the injected ticker.
 */
class SuspendedInlineRefreshNeverResumedHeldItsKeyForTheWholeWindowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Resumes at once, unless hanging: then it keeps the response (after setting {@code timeoutSeconds}, if any). */
    @Path("page")
    public static final class SuspendingResource {
        final AtomicInteger calls = new AtomicInteger();
        final List<AsyncResponse> hung = new CopyOnWriteArrayList<>();
        volatile boolean hanging;
        volatile long timeoutSeconds;

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 600)
        public void page(@Suspended AsyncResponse response) {
            int call = calls.incrementAndGet();
            if (hanging) {
                if (timeoutSeconds > 0) {
                    response.setTimeout(timeoutSeconds, TimeUnit.SECONDS);
                }
                hung.add(response);
                return;
            }
            response.resume("page " + call);
        }
    }

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final SuspendingResource resource = new SuspendingResource();

    private TestServer server() {
        return TestServer.jersey(new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.METER_REGISTRY, registry)
                .property(ResponseCacheProperties.CLOCK, clock)
                .property(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                .property(ResponseCacheProperties.COALESCE_WAIT, "5s")).start();
    }

    /** Starts the inline refresh that suspends and is never resumed: the client's own request, left waiting. */
    private CompletableFuture<HttpResponse<String>> hangingRefresh(TestServer server) {
        clock.advance(Duration.ofSeconds(70));
        resource.hanging = true;
        CompletableFuture<HttpResponse<String>> waiting = HttpClient.newHttpClient().sendAsync(
                server.request("/api/page").timeout(WAIT.multipliedBy(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        Eventually.until(() -> resource.hung.size() == 1, WAIT, () -> "the refresh never suspended");
        resource.hanging = false;
        return waiting;
    }

    @Test
    void neverResumedRefreshWithoutATimeoutHoldsItsKeyForCoalesceWaitNotTheWindow() {
        try (TestServer server = server()) {
            assertEquals("page 1", server.getText("/api/page").body());
            hangingRefresh(server);

            nanos.addAndGet(Duration.ofSeconds(4).toNanos());
            HttpResponse<String> meanwhile = server.getText("/api/page");
            assertEquals("STALE", meanwhile.headers().firstValue("X-Cache").orElse("none"),
                    "within coalesce-wait the refresh still holds its key");

            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            assertEquals("page 3", server.getText("/api/page").body(), "past coalesce-wait the next request refreshes");
            assertEquals("HIT", server.getText("/api/page").headers().firstValue("X-Cache").orElse("none"));
            assertEquals(0, registry.find(MicrometerEvents.REFRESH_FAILURES).counters().size(),
                    "not known to have failed: no timeout was given");
            resource.hung.forEach(response -> response.resume("late"));
        }
    }

    /** The sibling outside a servlet container: Grizzly's response writer is told of the suspension the same way. */
    @Test
    void onGrizzlyANeverResumedRefreshHoldsItsKeyForCoalesceWaitNotTheWindow() throws Exception {
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/api/"),
                new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                        .property(ResponseCacheProperties.METER_REGISTRY, registry)
                        .property(ResponseCacheProperties.CLOCK, clock)
                        .property(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                        .property(ResponseCacheProperties.COALESCE_WAIT, "5s"), true);
        try {
            URI page = URI.create("http://127.0.0.1:" + server.getListeners().iterator().next().getPort()
                    + "/api/page");
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(page).timeout(WAIT).build();
            assertEquals("page 1", client.send(get, HttpResponse.BodyHandlers.ofString()).body());
            clock.advance(Duration.ofSeconds(70));
            resource.hanging = true;
            client.sendAsync(get, HttpResponse.BodyHandlers.ofString());
            Eventually.until(() -> resource.hung.size() == 1, WAIT, () -> "the refresh never suspended");
            resource.hanging = false;

            nanos.addAndGet(Duration.ofSeconds(4).toNanos());
            assertEquals("STALE", client.send(get, HttpResponse.BodyHandlers.ofString()).headers()
                    .firstValue("X-Cache").orElse("none"), "within coalesce-wait the refresh still holds its key");
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            assertEquals("page 3", client.send(get, HttpResponse.BodyHandlers.ofString()).body(),
                    "past coalesce-wait the next request refreshes");
            resource.hung.forEach(response -> response.resume("late"));
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void neverResumedRefreshHoldsItsKeyForItsOwnTimeoutAndIsCountedOnceItLapses() {
        resource.timeoutSeconds = 20;
        try (TestServer server = server()) {
            assertEquals("page 1", server.getText("/api/page").body());
            hangingRefresh(server);

            nanos.addAndGet(Duration.ofSeconds(19).toNanos());
            assertEquals("STALE", server.getText("/api/page").headers().firstValue("X-Cache").orElse("none"),
                    "within its own timeout the refresh still holds its key");

            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            assertEquals("page 3", server.getText("/api/page").body(), "past its timeout the next request refreshes");
            assertEquals(1, registry.find(MicrometerEvents.REFRESH_FAILURES).tags("exception", "TimeoutException")
                    .counters().stream().mapToDouble(counter -> counter.count()).sum(), "the lost refresh is counted");
            resource.hung.forEach(response -> response.resume("late"));
        }
    }
}
