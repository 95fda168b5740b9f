package dev.responsecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

/**
 * Jetty's proxy servlet gives its asynchronous cycle no timeout (it times the exchange itself), so the cache had no
 * bound for a stale-while-revalidate refresh the proxy never completed but the entry's window: a refresh to an origin
 * that never answered held its key for all of it (600 s here), every client getting the stale page and no refresh
 * tried again. The proxy now gives the cycle a timeout just past its own ({@code timeout}, 60 s, plus
 * {@link ReverseProxyServlet#COMPLETION_MARGIN_MILLIS}), which bounds the claim. Real Jetty proxy and origin; cache
 * time on the injected clock, claim time on the injected ticker (the origin is held on a gate, never timed out).
 * The claim's bound runs from the end of the refresh's dispatch, as the container's timeout does, and the origin sees
 * the refresh before that dispatch has returned: the ticker is moved only once the cache says (its debug line) that
 * the bound is set. Moved earlier, on a busy machine, the bound ran from the moved ticker and the key looked held.
 */
class ProxyRefreshToAnOriginThatNeverAnsweredHeldItsKeyForTheWholeWindowTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AtomicLong nanos = new AtomicLong();
    private final HttpClient client = HttpClient.newHttpClient();
    /** Held here: java.util.logging keeps loggers weakly, and would drop the level set on this one. */
    private final Logger cacheLog = Logger.getLogger("dev.responsecache");

    private HttpResponse<String> get(CachingProxy proxy, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + proxy.port() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refreshThatNeverCompletedHoldsItsKeyForTheProxysOwnTimeoutNotTheWindow() throws Exception {
        Origin origin = new Origin(clock).start();
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch bounded = new CountDownLatch(1);
        Handler boundSet = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                if (message != null && message.startsWith("/swr-long: the asynchronous refresh holds its key")) {
                    bounded.countDown();
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level level = cacheLog.getLevel();
        cacheLog.setLevel(Level.FINE);
        cacheLog.addHandler(boundSet);
        try (CachingProxy proxy = CachingProxy.start(URI.create(origin.url()), 0, Map.of(
                ResponseCacheProperties.CLOCK, clock, ResponseCacheProperties.TICKER, (LongSupplier) nanos::get))) {
            assertEquals("swr body 1", get(proxy, "/swr-long").body());
            assertEquals("HIT", get(proxy, "/swr-long").headers().firstValue("X-Cache").orElse("none"));
            clock.advance(Duration.ofSeconds(70));
            CountDownLatch revalidating = origin.holdRevalidations(gate);

            assertEquals("STALE", get(proxy, "/swr-long").headers().firstValue("X-Cache").orElse("none"));
            assertTrue(revalidating.await(30, TimeUnit.SECONDS), "the refresh never reached the origin");
            assertEquals(2, origin.count("GET", "/swr-long"));
            assertTrue(bounded.await(30, TimeUnit.SECONDS), "the refresh's claim was never given its bound");

            // Within the proxy's own timeout the refresh may still complete: it keeps its key.
            nanos.addAndGet(Duration.ofSeconds(60).toNanos());
            assertEquals("STALE", get(proxy, "/swr-long").headers().firstValue("X-Cache").orElse("none"));
            assertEquals(2, origin.count("GET", "/swr-long"), "one refresh while the first may still complete");

            // Past it (and the margin) no end will come: the next stale answer refreshes again.
            nanos.addAndGet(Duration.ofMillis(5_000 + ReverseProxyServlet.COMPLETION_MARGIN_MILLIS).toNanos());
            CountDownLatch again = origin.holdRevalidations(gate);
            assertEquals("STALE", get(proxy, "/swr-long").headers().firstValue("X-Cache").orElse("none"));
            assertTrue(again.await(30, TimeUnit.SECONDS), "no refresh was tried again within the window");
            assertEquals(3, origin.count("GET", "/swr-long"));
        } finally {
            cacheLog.removeHandler(boundSet);
            cacheLog.setLevel(level);
            gate.countDown();
            origin.stop();
        }
    }
}
