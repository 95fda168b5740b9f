package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
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
