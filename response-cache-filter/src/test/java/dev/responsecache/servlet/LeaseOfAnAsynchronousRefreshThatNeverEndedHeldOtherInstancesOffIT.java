package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.ServletApp;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on one Redis server. The first one's header-driven refresh went asynchronous and its dispatch threw on
 * Jetty, which reports no event for it: that instance renewed the key's refresh lease until the end of the entry's
 * stale-while-revalidate window, and the other instance, finding it held, left the key to it all that time, answering
 * stale. The lease is now renewed only while the refresh's claim stands (its asynchronous timeout, on the injected
 * ticker): then it lapses within one {@code coalesce-lease}, and the other instance refreshes the key. The first
 * instance's renewals are run by the test (the engine's hook), so that nothing depends on its timer. (Jetty does
 * report the end of that request's cycle, which now ends the refresh and releases its lease at once; the bound holds
 * for a container that reports nothing at all.)
 */
class LeaseOfAnAsynchronousRefreshThatNeverEndedHeldOtherInstancesOffIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The engine's test hook that is handed the lease renewal task in place of its scheduler. */
    private static final String RENEWALS = "dev.responsecache.core.lease-renewals";
    private static final Duration LEASE = Duration.ofMillis(500);

    private final String prefix = "rc-lapse-cluster-" + UUID.randomUUID() + ":";
    private final MutableClock clock = new MutableClock();
    private final AtomicLong firstTicker = new AtomicLong();
    private final AtomicLong secondTicker = new AtomicLong();
    private final AtomicReference<Runnable> firstRenewal = new AtomicReference<>(() -> { });

    private ServletApp instance(AsynchronousRefreshWhoseDispatchThrewHeldItsKeyForTheWholeWindowContract
                                        .AsyncFailingServlet servlet, AtomicLong ticker) {
        return new ServletApp()
                .contextParam(ResponseCacheProperties.STORE, "redis")
                .contextParam(ResponseCacheProperties.REDIS_URI, redis.uri())
                .contextParam(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .contextParam(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "10s")
                .contextParam(ResponseCacheProperties.COALESCE_LEASE, LEASE.toMillis() + "ms")
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.TICKER, (LongSupplier) ticker::get)
                .filter("header-cache", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                .servlet("headers", servlet, "/headers/*");
    }

    @Test
    void otherInstanceRefreshesOnceTheLostRefreshsClaimHasLapsed() {
        var failing = new AsynchronousRefreshWhoseDispatchThrewHeldItsKeyForTheWholeWindowContract
                .AsyncFailingServlet();
        var healthy = new AsynchronousRefreshWhoseDispatchThrewHeldItsKeyForTheWholeWindowContract
                .AsyncFailingServlet();
        try (Container.Running first = Container.JETTY.start(instance(failing, firstTicker)
                     .attribute(RENEWALS, (Consumer<Runnable>) firstRenewal::set));
             Container.Running second = Container.JETTY.start(instance(healthy, secondTicker))) {
            assertEquals("page 1", first.get("/headers/page").body());
            clock.advance(Duration.ofSeconds(70));
            failing.failing.set(true);
            assertEquals("STALE", first.get("/headers/page").headers().firstValue("X-Cache").orElse("none"));
            Eventually.until(() -> failing.thrown.get() == 1, WAIT, () -> "the refresh's dispatch never threw");

            // Past the lost refresh's asynchronous timeout its instance stops renewing the lease, which lapses; the
            // other instance, asking again once what it found left has passed, takes it and refreshes.
            firstTicker.addAndGet(Duration.ofSeconds(21).toNanos());
            Eventually.until(() -> {
                firstRenewal.get().run();
                secondTicker.addAndGet(LEASE.toNanos());
                return "HIT".equals(second.get("/headers/page").headers().firstValue("X-Cache").orElse("none"));
            }, WAIT, () -> "the other instance never refreshed: the lost refresh's lease was still renewed");
            assertEquals("page 1", second.get("/headers/page").body(), "its own servlet's first page, refreshed");
        }
    }
}
