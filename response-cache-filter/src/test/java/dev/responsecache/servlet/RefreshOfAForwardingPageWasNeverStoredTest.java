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
        View view = new View();
        Forwarding forwarding = new Forwarding();
        Counting plain = new Counting();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("forwarding", forwarding, "/cached/forwarding/*")
                .servlet("plain", plain, "/cached/plain/*")
                .servlet("view", view, "/view/*"))) {
            assertEquals("page 1", app.get("/cached/forwarding/report").body());
            assertEquals("HIT", cacheStatus(app.get("/cached/forwarding/report")));
            clock.advance(Duration.ofSeconds(70));

            HttpResponse<String> stale = app.get("/cached/forwarding/report");
            assertEquals("STALE", cacheStatus(stale));
            assertEquals("page 1", stale.body());
            // The refresh runs after the stale answer: done once its forward came back (or threw) and it stored.
            Eventually.until(() -> forwarding.forwards.get() == 2
                            && ("page 2".equals(app.get("/cached/forwarding/report").body())
                            || forwarding.refused.get() == 1), WAIT,
                    () -> "the refresh never forwarded, on " + container);

            // Whatever became of that refresh, the other pages behind the filter are cached as before.
            assertEquals("MISS", cacheStatus(app.get("/cached/plain/other")));
            assertEquals("HIT", cacheStatus(app.get("/cached/plain/other")));
            assertEquals(1, plain.calls.get());
            assertTrue(log.messagesAtLeast(Level.WARNING).stream()
                            .noneMatch(line -> line.startsWith("response cache filter failed")),
                    () -> "a refresh's failure is not the filter's: " + log.messagesAtLeast(Level.WARNING));

            HttpResponse<String> refreshed = app.get("/cached/forwarding/report");
            assertEquals("HIT", cacheStatus(refreshed), "on " + container);
            assertEquals("page 2", refreshed.body(), "the refreshed page, on " + container);
            assertEquals(0, forwarding.refused.get(), "forwards refused, on " + container);
        }
    }

    private static String cacheStatus(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** The controller: writes a little, which the forward clears, then forwards to the view. */
    static final class Forwarding extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final AtomicInteger forwards = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("written before the forward");
            try {
                request.getRequestDispatcher("/view/page").forward(request, response);
            } catch (IllegalStateException | IOException | ServletException e) {
                refused.incrementAndGet();
                throw e;
            } finally {
                forwards.incrementAndGet();
            }
        }
    }

    static final class View extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("page " + calls.incrementAndGet());
        }
    }

    static final class Counting extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("other " + calls.incrementAndGet());
        }
    }
}
