package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A miss that a stale entry may answer at a deadline runs into a response that switches to the container once the
 * servlet takes its writer. After the switch the servlet's own calls are still the page's: a reset drops the text
 * before it from the stored body, a Vary set after {@code getWriter()} keys the entry, and a {@code sendError(404)}
 * is the container's error page, never stored as an empty 404. (Telling an included servlet's calls apart by the
 * wrappers below the cache's response once took every call after the switch for an included one.)
 */
class ArmedDeadlineSwitchedToTheContainerKeepsTheServletsCallsTest {

    static final class Pages extends HttpServlet {

        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        int calls(String page) {
            return calls.computeIfAbsent(page, any -> new AtomicInteger()).get();
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String page = request.getPathInfo();
            int call = calls.computeIfAbsent(page, any -> new AtomicInteger()).incrementAndGet();
            response.setContentType("text/plain;charset=UTF-8");
            switch (page) {
                case "/reset" -> {
                    response.getWriter().print("dropped;");
                    response.reset();
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().print("kept " + call);
                }
                case "/vary" -> {
                    response.getWriter().print("for " + request.getHeader("X-User") + " " + call);
                    response.setHeader("Vary", "X-User");
                }
                case "/missing" -> {
                    if (call == 1) {
                        response.getWriter().print("here " + call);
                    } else {
                        response.getWriter();
                        response.sendError(404);
                    }
                }
                default -> throw new IllegalArgumentException(page);
            }
        }
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void callsAfterTheSwitchToTheContainerAreTheServletsOwn(Container container) {
        MutableClock clock = new MutableClock();
        Pages pages = new Pages();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "600")
                .servlet("pages", pages, "/cached/*"))) {
            assertEquals("kept 1", app.get("/cached/reset").body());
            assertEquals("for alice 1", app.get("/cached/vary", "X-User", "alice").body());
            assertEquals("here 1", app.get("/cached/missing").body());
            clock.advance(Duration.ofSeconds(61));

            // Each miss below has a stale entry, so its response is the deadline's until the servlet takes the writer.
            assertEquals("kept 2", app.get("/cached/reset").body());
            HttpResponse<String> hit = app.get("/cached/reset");
            assertEquals("HIT", xCache(hit));
            assertEquals("kept 2", hit.body(), "the text before the reset is not stored");

            assertEquals("for alice 2", app.get("/cached/vary", "X-User", "alice").body());
            assertEquals("HIT", xCache(app.get("/cached/vary", "X-User", "alice")));
            HttpResponse<String> bob = app.get("/cached/vary", "X-User", "bob");
            assertEquals("for bob 3", bob.body(), "one variant answered another");
            assertNotEquals("HIT", xCache(bob));

            HttpResponse<String> missing = app.get("/cached/missing");
            assertEquals(404, missing.statusCode());
            HttpResponse<String> again = app.get("/cached/missing");
            assertNotEquals("HIT", xCache(again), "a sendError(404) was stored");
            assertEquals(3, pages.calls("/missing"));
        }
    }
}
