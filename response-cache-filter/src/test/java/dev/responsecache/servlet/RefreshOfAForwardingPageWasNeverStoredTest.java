package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that forwards to the page that answers (a controller and its JSP), cached with stale-while-revalidate:
 * the refresh, run after the stale answer was sent, went through the container's dispatcher with the response the
 * client had already received under the refresh's own. Jetty resets that response at a forward, which threw
 * ({@code IllegalStateException: Committed}): the refresh never stored anything, the stale page was served until the
 * window ended, and each failure was logged as the filter's own outage ("serving uncached until it recovers"). Now a
 * forward in a refresh runs into the refresh's response alone where the container forwards through the response it is
 * given (Tomcat), and is refused, before the container sees it, where it would reach the sent one (Jetty): that key's
 * refresh is given up, logged as such, and the first request after the window is a miss.
 */
class RefreshOfAForwardingPageWasNeverStoredTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshOfAForwardingPageIsStoredOrGivenUpForThatKeyAlone(Container container) {
        MutableClock clock = new MutableClock();
        Pages ttl = new Pages();
        Pages headers = new Pages();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/ttl/*", "ttl", "60", "staleWhileRevalidate", "30")
                .filter("by-headers", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                .servlet("ttl-forwarding", ttl.forwarding, "/ttl/forwarding/*")
                .servlet("ttl-plain", ttl.plain, "/ttl/plain/*")
                .servlet("ttl-view", ttl.view, "/ttl-view/*")
                .servlet("headers-forwarding", headers.forwarding, "/headers/forwarding/*")
                .servlet("headers-plain", headers.plain, "/headers/plain/*")
                .servlet("headers-view", headers.view, "/headers-view/*"))) {
            // The ttl mode's refresh (RefreshAfterResponse), then the response's own stale-while-revalidate
            // (BackgroundRevalidation), each its own filter and first warning.
            refreshesOrGivesUp(container, app, clock, log, "/ttl", ttl);
            refreshesOrGivesUp(container, app, clock, log, "/headers", headers);
        }
    }

    private static void refreshesOrGivesUp(Container container, Container.Running app, MutableClock clock,
                                           LogCapture log, String prefix, Pages pages) {
        String page = prefix + "/forwarding/report";
        assertEquals("page 1", app.get(page).body());
        assertEquals("HIT", cacheStatus(app.get(page)), page);
        clock.advance(Duration.ofSeconds(70));

        HttpResponse<String> stale = app.get(page);
        assertEquals("STALE", cacheStatus(stale), page);
        assertEquals("page 1", stale.body(), page);
        if (container == Container.TOMCAT) {
            // Tomcat forwards through the refresh's response: the refreshed page is stored.
            Eventually.until(() -> "page 2".equals(app.get(page).body()), WAIT,
                    () -> page + ": the refresh was never stored, on " + container);
            HttpResponse<String> refreshed = app.get(page);
            assertEquals("HIT", cacheStatus(refreshed), page);
            assertEquals("page 2", refreshed.body(), page);
            assertEquals(0, pages.forwarding.refused.get(), page + ": forwards refused");
        } else {
            // Jetty would reset the response already sent: the forward is refused, that key's refresh given up.
            Eventually.until(() -> log.messagesAtLeast(Level.WARNING).stream()
                            .anyMatch(line -> line.startsWith("background refresh of " + page + " failed")), WAIT,
                    () -> page + ": the refresh's failure was not logged: " + log.messagesAtLeast(Level.WARNING));
            assertEquals(1, pages.forwarding.refused.get(), page + ": forwards refused");
            assertEquals(1, pages.view.calls.get(), page + ": the view ran in the refresh");
        }

        // Whatever became of that refresh, the other pages behind the filter are cached as before, and the
        // filter's own fault log (which says the cache serves uncached) is left to the cache's faults.
        assertEquals("MISS", cacheStatus(app.get(prefix + "/plain/other")), page);
        assertEquals("HIT", cacheStatus(app.get(prefix + "/plain/other")), page);
        assertEquals(1, pages.plain.calls.get(), page);
        assertTrue(log.messagesAtLeast(Level.WARNING).stream()
                        .noneMatch(line -> line.startsWith("response cache filter")),
                () -> "a refresh's failure is not the filter's: " + log.messagesAtLeast(Level.WARNING));

        if (container != Container.TOMCAT) {
            // Past the stale window, the page is a miss, whose forward is the container's as usual.
            clock.advance(Duration.ofSeconds(31));
            HttpResponse<String> miss = app.get(page);
            assertEquals("MISS", cacheStatus(miss), page);
            assertEquals("page 2", miss.body(), page);
            HttpResponse<String> hit = app.get(page);
            assertEquals("HIT", cacheStatus(hit), page);
            assertEquals("page 2", hit.body(), page);
        }
    }

    /** A controller that forwards to its view, and a page that does not, behind one filter. */
    private static final class Pages {
        final View view = new View();
        final Forwarding forwarding = new Forwarding();
        final Counting plain = new Counting();
    }

    private static String cacheStatus(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** The controller: writes a little, which the forward clears, then forwards to the view. */
    static final class Forwarding extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final AtomicInteger refused = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("written before the forward");
            try {
                // The view of this filter's pages: /ttl-view/page or /headers-view/page.
                request.getRequestDispatcher(request.getServletPath().replace("/forwarding", "-view") + "/page")
                        .forward(request, response);
            } catch (IllegalStateException | IOException | ServletException e) {
                refused.incrementAndGet();
                throw e;
            }
        }
    }

    static final class View extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
            response.getWriter().write("page " + calls.incrementAndGet());
        }
    }

    static final class Counting extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
            response.getWriter().write("other " + calls.incrementAndGet());
        }
    }
}
