package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The background refresh of a page that includes another (through the request's dispatcher, its
 * {@code ServletContext}'s, a named one). Jetty ends an include by reopening the output of its own response, found
 * under the response it was given ({@code ServletContextResponse.included()}): in a refresh, the response the client
 * already has, complete. That reopening only clears the soft close an include makes (and reopens the writer if the
 * stale answer was written with one): nothing is written to the sent response. The refresh is stored as the servlet
 * alone answers, the next requests are served, and nothing is logged, in both modes, on Jetty and Tomcat.
 */
class RefreshOfAnIncludingPageIsStoredTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> PAGES = List.of("request", "context", "named");

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshIsStoredAsTheServletAloneAnswers(Container container) {
        MutableClock clock = new MutableClock();
        AtomicInteger completed = new AtomicInteger();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("completed", (request, response, chain) -> {
                    chain.doFilter(request, response);
                    completed.incrementAndGet();
                }, "/*")
                .filter("ttl", new ResponseCacheFilter(), "/ttl/*", "ttl", "60", "staleWhileRevalidate", "30")
                .filter("by-headers", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                .servlet("ttl-including", new Including(), "/ttl/*")
                .servlet("headers-including", new Including(), "/headers/*")
                .servlet("alone", new Including(), "/alone/*")
                .servlet("part", new Part(), "/part/*"))) {
            int requests = 0;
            for (String prefix : List.of("/ttl/", "/headers/")) {
                for (String page : PAGES) {
                    String path = prefix + page;
                    String before = alone(app, page);
                    // The miss ran after the servlet alone, and included the next part.
                    assertEquals(withPart(before, partOf(before) + 1), app.get(path).body(), path + " miss");
                    requests += 2;
                    clock.advance(Duration.ofSeconds(70));
                    HttpResponse<String> stale = app.get(path);
                    int sent = ++requests;
                    assertEquals("STALE", cacheStatus(stale), path);
                    Eventually.until(() -> completed.get() >= sent, WAIT, () -> path + ": the refresh never ended");
                    String expected = alone(app, page);
                    requests++;
                    HttpResponse<String> refreshed = app.get(path);
                    requests++;
                    assertEquals("HIT", cacheStatus(refreshed), path + " on " + container);
                    // The servlet alone ran after the refresh, and included the next part.
                    assertEquals(withPart(expected, partOf(expected) - 1), refreshed.body(), path + " on " + container);
                }
            }
            assertTrue(log.messagesAtLeast(Level.WARNING).isEmpty(),
                    () -> "logged: " + log.messagesAtLeast(Level.WARNING));
        }
    }

    private static String alone(Container.Running app, String page) {
        return app.get("/alone/" + page).body();
    }

    /** The number the part wrote. */
    private static int partOf(String body) {
        return Integer.parseInt(body.replaceAll("^.*part (\\d+).*$", "$1"));
    }

    private static String withPart(String body, int part) {
        return body.replace("part " + partOf(body), "part " + part);
    }

    private static String cacheStatus(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    static final class Including extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            String page = request.getPathInfo().substring(1);
            response.setContentType("text/plain;charset=UTF-8");
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
            response.getWriter().write("written before;");
            RequestDispatcher dispatcher = page.equals("request") ? request.getRequestDispatcher("/part/page")
                    : page.equals("named") ? getServletContext().getNamedDispatcher("part")
                    : getServletContext().getRequestDispatcher("/part/page");
            dispatcher.include(request, response);
            response.getWriter().write(";written after");
        }
    }

    static final class Part extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.getWriter().write("part " + calls.incrementAndGet());
        }
    }
}
