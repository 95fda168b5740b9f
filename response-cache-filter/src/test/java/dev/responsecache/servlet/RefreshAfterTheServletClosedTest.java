package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A background refresh (stale-while-revalidate) runs the servlet into a response of the cache's own, which never
 * counted as committed: a status or header the servlet (or a filter behind the cache) set after closing its writer or
 * stream was stored by the refresh, though a miss never sends it, and a reset after the close emptied the refreshed
 * entry. Now the refresh's response is committed by the close, as the container's is: the refreshed entry is what a
 * miss sends, and the servlet meets the same refusals.
 */
class RefreshAfterTheServletClosedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshStoresNoStatusOrHeaderSetAfterTheServletClosedItsResponse(Container container) {
        MutableClock clock = new MutableClock();
        ClosesThenSetsMore edge = new ClosesThenSetsMore();
        ClosesThenSetsMore plain = new ClosesThenSetsMore();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/edge/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("edge", edge, "/edge/*")
                .servlet("plain", plain, "/plain/*"))) {
            for (String page : List.of("/writer-then-headers-only", "/writer", "/stream")) {
                HttpResponse<String> uncached = app.get("/plain" + page);
                assertEquals(200, uncached.statusCode(), page);
                assertEquals("none", uncached.headers().firstValue("X-Late").orElse("none"), page);
                String refusals = plain.outcome(page + " 1");
                assertEquals(page.endsWith("only") ? "committed"
                        : "committed, reset refused, sendError refused, sendRedirect refused", refusals, page);

                HttpResponse<String> miss = app.get("/edge" + page);
                assertEquals("MISS", miss.headers().firstValue("X-Cache").orElse("none"), page);
                assertEquals(page + " 1", miss.body());
                assertEquals(refusals, edge.outcome(page + " 1"), page);
                // Stored once the servlet returned, maybe after the client had the miss: a request coalesces on it.
                HttpResponse<String> hit = app.get("/edge" + page);
                assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"), page);
                assertEquals("none", hit.headers().firstValue("X-Late").orElse("none"), page);
                clock.advance(Duration.ofSeconds(70));
                assertEquals("STALE", app.get("/edge" + page).headers().firstValue("X-Cache").orElse("none"), page);
                Eventually.until(() -> (page + " 2").equals(app.get("/edge" + page).body()), WAIT,
                        () -> page + ": the refresh was never stored");

                HttpResponse<String> refreshed = app.get("/edge" + page);
                assertEquals("HIT", refreshed.headers().firstValue("X-Cache").orElse("none"), page);
                assertEquals(200, refreshed.statusCode(), page);
                assertEquals(page + " 2", refreshed.body(), page);
                assertEquals("none", refreshed.headers().firstValue("X-Late").orElse("none"), page);
                assertEquals(refusals, edge.outcome(page + " 2"), "the refresh, " + page);
            }
        }
    }

    /** Writes and closes, then does what a filter behind the cache might once the servlet returned. */
    static final class ClosesThenSetsMore extends HttpServlet {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        /** Recorded after the close, so possibly after the client has its response: waited for. */
        private final Map<String, CompletableFuture<String>> outcomes = new ConcurrentHashMap<>();

        String outcome(String call) {
            try {
                return future(call).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(call + " recorded nothing", e);
            }
        }

        private CompletableFuture<String> future(String call) {
            return outcomes.computeIfAbsent(call, any -> new CompletableFuture<>());
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String page = request.getPathInfo();
            int call = calls.computeIfAbsent(page, any -> new AtomicInteger()).incrementAndGet();
            response.setContentType("text/plain;charset=UTF-8");
            String body = page + " " + call;
            if (page.equals("/stream")) {
                ServletOutputStream out = response.getOutputStream();
                out.write(body.getBytes(StandardCharsets.UTF_8));
                out.close();
            } else {
                PrintWriter writer = response.getWriter();
                writer.write(body);
                writer.close();
            }
            response.setHeader("X-Late", "set after the close");
            StringBuilder outcome = new StringBuilder(response.isCommitted() ? "committed" : "open");
            if (page.endsWith("only")) {
                future(page + " " + call).complete(outcome.toString());
                return;
            }
            response.setStatus(HttpServletResponse.SC_CREATED);
            try {
                response.reset();
                outcome.append(", reset done");
            } catch (IllegalStateException refused) {
                outcome.append(", reset refused");
            }
            try {
                response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                outcome.append(", sendError done");
            } catch (IllegalStateException refused) {
                outcome.append(", sendError refused");
            }
            try {
                response.sendRedirect("/elsewhere");
                outcome.append(", sendRedirect done");
            } catch (IllegalStateException refused) {
                outcome.append(", sendRedirect refused");
            }
            future(page + " " + call).complete(outcome.toString());
        }
    }
}
