package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet included through a {@code RequestDispatcher} may not change the response: the container ignores its
 * reset, status, headers and error pages. Tomcat does so with a wrapper it inserts below the application's, so the
 * included servlet's calls pass through the cache's response first, which acted on them: a reset emptied the held
 * body (the page lost the text written before the include, on the miss and every hit), a Vary was stored and keyed
 * though the client never got it, and a 5xx error page the container ignores was held back for stale-if-error. The
 * same holds with a stale-if-error deadline's response, before and after it switched to the container, and for a
 * background refresh.
 */
class IncludedServletResetKeepsPageTest {

    private static final List<String> PARTS = List.of("/resets", "/varies", "/fails", "/sized");

    /** Writes around an include of {@code /part/<name>}. */
    static final class Page extends HttpServlet {

        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            int call = calls.computeIfAbsent(request.getPathInfo(), any -> new AtomicInteger()).incrementAndGet();
            response.setContentType("text/plain");
            response.getWriter().print("top " + call + ";");
            request.getRequestDispatcher("/part" + request.getPathInfo()).include(request, response);
            response.getWriter().print(";end");
        }
    }

    /** What an included servlet may try: everything but its writing is ignored by the container. */
    static final class Part extends HttpServlet {

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String part = (String) request.getAttribute("jakarta.servlet.include.path_info");
            switch (part) {
                case "/resets" -> response.reset();
                case "/varies" -> response.setHeader("Vary", "X-User");
                case "/fails" -> response.sendError(503);
                case "/sized" -> {
                    response.setContentLength(2);
                    response.setStatus(500);
                }
                default -> throw new IllegalArgumentException(part);
            }
            response.getWriter().print("part");
        }
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** The cache's own names for downstream caches may be there; the included servlet's never. */
    private static void assertNoUserVary(HttpResponse<?> response, String part) {
        assertTrue(response.headers().allValues("Vary").stream().noneMatch(line -> line.contains("X-User")),
                part + ": " + response.headers().allValues("Vary"));
    }

    private static void assertIgnoredOnTheMissAndTheHit(Container.Running app, String part, int call) {
        HttpResponse<String> miss = app.get("/cached" + part, "X-User", "alice");
        assertEquals(200, miss.statusCode(), part);
        assertEquals("top " + call + ";part;end", miss.body(), part);
        assertNoUserVary(miss, part);

        HttpResponse<String> hit = app.get("/cached" + part, "X-User", "bob");
        assertEquals("HIT", xCache(hit), part + ": the response does not vary on X-User");
        assertEquals(200, hit.statusCode(), part);
        assertEquals(miss.body(), hit.body(), part);
        assertEquals(miss.headers().allValues("Vary"), hit.headers().allValues("Vary"), part);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void whatTheContainerIgnoresInAnIncludedServletIsIgnoredOnTheMissAndTheHit(Container container) {
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleIfError", "600")
                .servlet("page", new Page(), "/cached/*")
                .servlet("plain", new Page(), "/plain/*")
                .servlet("part", new Part(), "/part/*"))) {
            for (String part : PARTS) {
                HttpResponse<String> plain = app.get("/plain" + part);
                assertEquals(200, plain.statusCode(), part);
                assertEquals("top 1;part;end", plain.body(), part);
                assertNoUserVary(plain, part);

                assertIgnoredOnTheMissAndTheHit(app, part, 1);
            }
            // With a stale entry, which a 5xx of the page's own would be answered with.
            clock.advance(Duration.ofSeconds(61));
            for (String part : PARTS) {
                assertIgnoredOnTheMissAndTheHit(app, part, 2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void whatTheContainerIgnoresInAnIncludedServletIsIgnoredWithAnArmedDeadline(Container container) {
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "600")
                .servlet("page", new Page(), "/cached/*")
                .servlet("part", new Part(), "/part/*"))) {
            for (String part : PARTS) {
                assertIgnoredOnTheMissAndTheHit(app, part, 1);
            }
            // Each miss now has a stale entry: it runs into the deadline's response, switched by the page's writer.
            clock.advance(Duration.ofSeconds(61));
            for (String part : PARTS) {
                assertIgnoredOnTheMissAndTheHit(app, part, 2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void whatTheContainerIgnoresInAnIncludedServletIsIgnoredByABackgroundRefresh(Container container) {
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", new Page(), "/cached/*")
                .servlet("part", new Part(), "/part/*"))) {
            for (String part : List.of("/resets", "/varies", "/sized")) {
                HttpResponse<String> miss = app.get("/cached" + part);
                assertEquals(200, miss.statusCode(), part);
                clock.advance(Duration.ofSeconds(70));
                assertEquals("STALE", xCache(app.get("/cached" + part)), part);
                Eventually.until(() -> app.get("/cached" + part).body().startsWith("top 2;"), Duration.ofSeconds(30),
                        () -> part + ": the refresh was never stored");

                HttpResponse<String> refreshed = app.get("/cached" + part, "X-User", "bob");
                assertEquals("HIT", xCache(refreshed), part + ": the refreshed entry does not vary on X-User");
                assertEquals(200, refreshed.statusCode(), part);
                assertEquals("top 2;part;end", refreshed.body(), part);
                assertEquals(miss.headers().allValues("Content-Type"), refreshed.headers().allValues("Content-Type"),
                        part);
                assertNoUserVary(refreshed, part);
            }
        }
    }
}
