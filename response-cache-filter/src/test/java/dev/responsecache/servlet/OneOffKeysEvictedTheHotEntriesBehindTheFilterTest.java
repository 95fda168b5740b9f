package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The servlet filter's side of admission under pressure: behind a store bounded to four entries that evicts, a key's
 * first request passes the cache by and a scan of one-off URLs no longer evicts the hot entry; once an eviction of
 * everything has made room, misses are stored at once again. Jetty and Tomcat, Ehcache, the injected ticker.
 */
class OneOffKeysEvictedTheHotEntriesBehindTheFilterTest {

    private static final String NOT_ADMITTED = "ResponseCache; fwd=uri-miss; detail=not-admitted";
    private static final String STORED = "ResponseCache; fwd=uri-miss";

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger calls = new AtomicInteger();

    @ParameterizedTest
    @EnumSource(Container.class)
    void oneOffUrlsPassByWhileTheStoreEvictsAndAreStoredAgainOnceItHasRoom(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .contextParam(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "4")
                .attribute(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                .filter("cache", new ResponseCacheFilter(), "/s/*", "ttl", "60")
                .servlet("origin", new Origin(), "/s/*")
                .servlet("purge", new PurgeAll(), "/admin/purge"))) {
            for (int i = 1; i <= 5; i++) {
                assertEquals(STORED, status(app.get("/s/" + i)), "no pressure yet");
            }
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());

            assertEquals(NOT_ADMITTED, status(app.get("/s/hot")));
            assertEquals(STORED, status(app.get("/s/hot")), "asked again: stored");
            HttpResponse<String> hit = app.get("/s/hot");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> once = app.get("/s/once?q=" + i);
                assertEquals(NOT_ADMITTED, status(once));
                assertEquals("once call " + calls.get(), once.body(), "answered as the servlet answers");
            }
            HttpResponse<String> after = app.get("/s/hot");
            assertEquals("HIT", after.headers().firstValue("X-Cache").orElseThrow(), "the scan left the hot entry");
            assertEquals(hit.body(), after.body());

            assertEquals(200, app.get("/admin/purge").statusCode());
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            assertEquals(STORED, status(app.get("/s/new")), "room made: no pressure");
            assertEquals("HIT", app.get("/s/new").headers().firstValue("X-Cache").orElseThrow());
        }
    }

    /**
     * The servlet filter's hits renew a hot key's sighting as the JAX-RS adapter's do (the same lookup answers them):
     * without it, a scan of more than two doorkeeper windows (1,024 keys each) made the hot key's first request once
     * its entry expired a refused one. The clock moves a millisecond per request, so that Ehcache's eviction, least
     * recently used among four entries (ties broken at random: the hot entry itself could go as it was put), keeps the
     * hot entry when a one-off key falsely taken for one seen is stored. Jetty only: the rule is the core's, the container plays no part in it.
     */
    @Test
    void hotKeyWasRefusedAfterEachExpiryUnderAScan() {
        MutableClock clock = new MutableClock();
        try (Container.Running app = Container.JETTY.start(new ServletApp()
                .contextParam(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "4")
                .attribute(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/s/*", "ttl", "60")
                .servlet("origin", new Origin(), "/s/*"))) {
            for (int i = 1; i <= 5; i++) {
                assertEquals(STORED, status(app.get("/s/" + i)), "no pressure yet");
                clock.advance(Duration.ofMillis(1));
            }
            nanos.addAndGet(Duration.ofSeconds(2).toNanos());
            assertEquals(NOT_ADMITTED, status(app.get("/s/hot")));
            assertEquals(STORED, status(app.get("/s/hot")));
            clock.advance(Duration.ofMillis(1));
            for (int i = 0; i < 2400; i++) {
                String once = status(app.get("/s/once?q=" + i));
                clock.advance(Duration.ofMillis(1));
                if (i % 3 == 0) {
                    HttpResponse<String> hot = app.get("/s/hot");
                    assertEquals("HIT", hot.headers().firstValue("X-Cache").orElseThrow(),
                            "the scan left it, after one-off " + i + ": " + once);
                    clock.advance(Duration.ofMillis(1));
                }
            }
            clock.advance(Duration.ofSeconds(46));
            assertEquals("HIT", app.get("/s/hot").headers().firstValue("X-Cache").orElseThrow(),
                    "in the last quarter of its 60 s");
            clock.advance(Duration.ofSeconds(15));
            int before = calls.get();
            HttpResponse<String> afterExpiry = app.get("/s/hot");
            assertEquals(STORED, status(afterExpiry), "its entry expired: stored again, not refused");
            assertEquals(before + 1, calls.get());
            HttpResponse<String> hit = app.get("/s/hot");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(afterExpiry.body(), hit.body());
        }
    }

    private static String status(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print(request.getPathInfo().substring(1) + " call " + calls.incrementAndGet());
        }
    }

    private static final class PurgeAll extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            ((ResponseCacheInvalidator) getServletContext().getAttribute(ResponseCacheInvalidator.ATTRIBUTE))
                    .evictAll();
            response.setStatus(200);
        }
    }
}
