package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Jersey instances (no runner in front: refreshes run inline) on one real Redis server. The first instance's
 * inline refresh suspends its response and never resumes it: that instance renewed the key's refresh lease until the
 * end of the entry's stale-while-revalidate window, and the other instance, finding it held, left the key to it all
 * that time, answering stale. The suspended refresh's claim now stands {@code coalesce-wait} (no suspend timeout),
 * the lease is renewed no longer, lapses within one {@code coalesce-lease}, and the other instance refreshes the key.
 * The first instance's renewals are run by the test (the engine's hook); claim time on each instance's ticker.
 */
class SuspendedInlineRefreshsLeaseHeldOtherInstancesOffIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The engine's test hook that is handed the lease renewal task in place of its scheduler. */
    private static final String RENEWALS = "dev.responsecache.core.lease-renewals";
    /**
     * Redis expires the lease on its own clock, one lease after its last renewal: long enough that a test stalled
     * between the renewal and the other instance's request still finds it held (with 500 ms, a loaded machine's stall
     * lapsed it, and the other instance refreshed before its time). At most coalesce-wait.
     */
    private static final Duration LEASE = Duration.ofSeconds(5);

    /** Resumes at once with the instance's name, unless hanging: then it keeps the response, never resumed. */
    @Path("page")
    public static final class SuspendingResource {
        final String name;
        final AtomicInteger calls = new AtomicInteger();
        final List<AsyncResponse> hung = new CopyOnWriteArrayList<>();
        volatile boolean hanging;

        SuspendingResource(String name) {
            this.name = name;
        }

        @GET
        @Produces("text/plain")
        @CacheResponse(ttl = 60, staleWhileRevalidate = 600)
        public void page(@Suspended AsyncResponse response) {
            int call = calls.incrementAndGet();
            if (hanging) {
                hung.add(response);
                return;
            }
            response.resume(name + " " + call);
        }
    }

    private final String prefix = "rc-suspended-cluster-" + UUID.randomUUID() + ":";
    private final MutableClock clock = new MutableClock();
    private final AtomicLong firstTicker = new AtomicLong();
    private final AtomicLong secondTicker = new AtomicLong();
    private final AtomicReference<Runnable> firstRenewal = new AtomicReference<>(() -> { });

    private ResourceConfig instance(SuspendingResource resource, AtomicLong ticker) {
        return new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, redis.uri())
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")
                .property(ResponseCacheProperties.COALESCE_WAIT, "10s")
                .property(ResponseCacheProperties.COALESCE_LEASE, LEASE.toMillis() + "ms")
                .property(ResponseCacheProperties.CLOCK, clock)
                .property(ResponseCacheProperties.TICKER, (LongSupplier) ticker::get);
    }

    private static String xCache(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @Test
    void otherInstanceRefreshesOnceTheSuspendedRefreshsClaimHasStoodCoalesceWait() {
        SuspendingResource hanging = new SuspendingResource("first");
        SuspendingResource healthy = new SuspendingResource("second");
        try (TestServer first = TestServer.jersey(instance(hanging, firstTicker)
                     .property(RENEWALS, (Consumer<Runnable>) firstRenewal::set)).start();
             TestServer second = TestServer.jersey(instance(healthy, secondTicker)).start()) {
            assertEquals("first 1", first.getText("/api/page").body());
            clock.advance(Duration.ofSeconds(70));
            hanging.hanging = true;
            HttpClient.newHttpClient().sendAsync(first.request("/api/page").build(),
                    HttpResponse.BodyHandlers.ofString());
            Eventually.until(() -> hanging.hung.size() == 1, WAIT, () -> "the refresh never suspended");
            firstRenewal.get().run();
            assertEquals("STALE", xCache(second.getText("/api/page")), "the first instance refreshes the key");

            // Past coalesce-wait the first instance stops renewing the lease, which lapses; the other instance,
            // asking again once what it found left has passed, takes it and refreshes inline.
            firstTicker.addAndGet(Duration.ofSeconds(11).toNanos());
            Eventually.until(() -> {
                firstRenewal.get().run();
                secondTicker.addAndGet(LEASE.toNanos());
                HttpResponse<String> answer = second.getText("/api/page");
                return !"STALE".equals(xCache(answer));
            }, WAIT, () -> "the other instance never refreshed: the suspended refresh's lease was still renewed");
            assertEquals("HIT", xCache(second.getText("/api/page")));
            assertEquals(1, healthy.calls.get(), "the other instance refreshed the key once");
            hanging.hung.forEach(response -> response.resume("late"));
        }
    }
}
