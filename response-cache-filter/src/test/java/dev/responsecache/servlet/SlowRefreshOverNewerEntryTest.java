package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter's stale-while-revalidate refresh (run after the stale answer, on its request's thread) that outlasts its
 * window: a later miss stores the newer response; the refresh ends with the response it produced from older data and
 * must not replace the newer entry.
 */
class SlowRefreshOverNewerEntryTest {

    private static final long WAIT_SECONDS = 30;

    private final MutableClock clock = new MutableClock();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger version = new AtomicInteger(1);
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch refreshRead = new CountDownLatch(1);
    private final CountDownLatch refreshMayEnd = new CountDownLatch(1);
    private final CountDownLatch refreshEnded = new CountDownLatch(1);
    private Container.Running app;

    @BeforeEach
    void start() {
        app = Container.JETTY.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .attribute(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                .filter("outer", new Outer(), "/s/*")
                .filter("cache", new ResponseCacheFilter(), "/s/*", "ttl", "10", "staleWhileRevalidate", "30")
                .servlet("origin", new Origin(), "/s/*"));
    }

    @AfterEach
    void stop() {
        refreshMayEnd.countDown();
        app.close();
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        nanos.addAndGet(duration.toNanos());
    }

    @Test
    void refreshThatOutlastsItsWindowDoesNotReplaceTheNewerEntryOfALaterMiss() throws InterruptedException {
        assertEquals("version 1", app.get("/s/page").body());
        advance(Duration.ofSeconds(15));
        version.set(2);
        HttpResponse<String> stale = app.get("/s/page");
        assertEquals("version 1", stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(refreshRead.await(WAIT_SECONDS, TimeUnit.SECONDS), "the refresh runs");

        // Past the window, the refresh's hold on the key and the coalescing wait; the data changes again.
        advance(Duration.ofSeconds(60));
        version.set(3);
        assertEquals("version 3", app.get("/s/page").body());
        assertEquals("HIT", app.get("/s/page").headers().firstValue("X-Cache").orElseThrow());

        refreshMayEnd.countDown();
        assertTrue(refreshEnded.await(WAIT_SECONDS, TimeUnit.SECONDS), "the refresh ends");
        HttpResponse<String> after = app.get("/s/page");
        assertEquals("version 3", after.body(), "X-Cache: " + after.headers().firstValue("X-Cache").orElse("none")
                + "; the refresh's response, read before version 3, replaced the newer entry");
    }

    /** In front of the cache filter: its chain returns for the stale request once the refresh behind it is done. */
    private final class Outer implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, response);
            if (calls.get() >= 2 && "refresh".equals(request.getAttribute("role"))) {
                refreshEnded.countDown();
            }
        }
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            String body = "version " + version.get();
            if (call == 2) {
                // The refresh: it has read its data, then is slow to finish.
                request.setAttribute("role", "refresh");
                refreshRead.countDown();
                try {
                    refreshMayEnd.await(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            response.setContentType("text/plain");
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
