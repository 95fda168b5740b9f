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
 * The background refresh (stale-while-revalidate) of a page whose servlet forwards to its view, through the request's
 * dispatcher, its {@code ServletContext}'s or a named one. Jetty resets its own response at a forward, which in a
 * refresh is the response the client already has: it refuses the forward ({@code IllegalStateException: Committed})
 * through the context's dispatchers, and the cache refuses it first through the request's. A servlet that catches the
 * refusal and answers otherwise had that answer stored by the refresh, where the servlet alone forwards: every later
 * request got it. On Tomcat, which forwards through the response it is given, every refresh stores the view's page.
 * Every answer is the view's page, as the servlet alone sends it, in both modes (ttl, and the response's own
 * stale-while-revalidate).
 */
class RefreshStoredTheAnswerToARefusedForwardTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> PAGES = List.of("request", "context", "named", "request-catching",
            "context-catching", "named-catching");

    @ParameterizedTest
    @EnumSource(Container.class)
    void everyAnswerIsTheForwardedPage(Container container) {
        MutableClock clock = new MutableClock();
        AtomicInteger completed = new AtomicInteger();
        try (LogCapture log = LogCapture.of("dev.responsecache");
             Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                // Returns once the cache filter has run the refresh, after the client had its stale answer.
                .filter("completed", (request, response, chain) -> {
                    chain.doFilter(request, response);
                    completed.incrementAndGet();
                }, "/*")
                .filter("ttl", new ResponseCacheFilter(), "/ttl/*", "ttl", "60", "staleWhileRevalidate", "30")
                .filter("by-headers", new ResponseCacheFilter(), "/headers/*", "ttl", "headers")
                .servlet("ttl-forwarding", new Forwarding(), "/ttl/*")
                .servlet("headers-forwarding", new Forwarding(), "/headers/*")
                .servlet("view", new View(), "/view/*"))) {
            StringBuilder differences = new StringBuilder();
            int requests = 0;
            for (String prefix : List.of("/ttl/", "/headers/")) {
                for (String page : PAGES) {
                    String path = prefix + page;
                    HttpResponse<String> miss = app.get(path);
                    requests++;
                    check(differences, path + " miss", miss);
                    clock.advance(Duration.ofSeconds(70));
                    HttpResponse<String> stale = app.get(path);
                    int sent = ++requests;
                    assertEquals("STALE", cacheStatus(stale), path);
                    check(differences, path + " stale", stale);
                    Eventually.until(() -> completed.get() >= sent, WAIT, () -> path + ": the refresh never ended");
                    HttpResponse<String> next = app.get(path);
                    int all = ++requests;
                    check(differences, path + " after the refresh, " + cacheStatus(next), next);
                    boolean refreshed = !next.body().equals(stale.body());
                    if (refreshed != (container == Container.TOMCAT)) {
                        differences.append(path).append(refreshed ? ": refreshed\n" : ": not refreshed\n");
                    }
                    // Whatever the next answer started, it ends before the next page's clock moves.
                    Eventually.until(() -> completed.get() >= all, WAIT, () -> path + ": a refresh never ended");
                }
            }
            assertEquals("", differences.toString(), "on " + container);
            assertTrue(log.messagesAtLeast(Level.WARNING).stream()
                            .noneMatch(line -> line.startsWith("response cache filter")),
                    () -> "a refresh's failure is not the filter's: " + log.messagesAtLeast(Level.WARNING));
        }
    }

    private static void check(StringBuilder differences, String what, HttpResponse<String> response) {
        if (response.statusCode() != 200 || !response.body().startsWith("page ")) {
            differences.append(what).append(": ").append(response.statusCode()).append(" [")
                    .append(response.body()).append("]\n");
        }
    }

    private static String cacheStatus(HttpResponse<String> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** The controller: writes a little, which the forward clears, then forwards to the view. */
    static final class Forwarding extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            String page = request.getPathInfo().substring(1);
            response.setContentType("text/plain;charset=UTF-8");
            // Storable as it stands in both modes, as the view's answer is.
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
            response.getWriter().write("written before the forward;");
            RequestDispatcher dispatcher = page.startsWith("request") ? request.getRequestDispatcher("/view/page")
                    : page.startsWith("named") ? getServletContext().getNamedDispatcher("view")
                    : getServletContext().getRequestDispatcher("/view/page");
            if (!page.endsWith("catching")) {
                dispatcher.forward(request, response);
                return;
            }
            try {
                dispatcher.forward(request, response);
            } catch (IllegalStateException | ServletException | IOException refused) {
                response.getWriter().write(" forward refused");
            }
        }
    }

    static final class View extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Cache-Control", "max-age=60, stale-while-revalidate=30");
            response.getWriter().write("page " + calls.incrementAndGet());
        }
    }
}
