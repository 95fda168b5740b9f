package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stale-if-error for an asynchronous servlet (a proxy servlet's way of answering) on real Jetty and Tomcat: a 5xx
 * set from another thread, a {@code sendError(5xx)} before {@code complete()} (what Jetty's {@code ProxyServlet}
 * does when the origin cannot be reached or times out) and an asynchronous cycle that times out are answered with
 * the stale entry within the window, and go to the client past it.
 */
class AsyncStaleIfErrorTest {

    private final MutableClock clock = new MutableClock();
    private final FailingAsyncServlet servlet = new FailingAsyncServlet();
    private Container.Running app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void asynchronousErrorsWithinStaleIfErrorAreAnsweredStaleAndPassThroughPastIt(Container container) {
        app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/async/*", "ttl", "60", "staleIfError", "600")
                .servlet("async", servlet, "/async/*"));
        Map<Failure, Integer> failures = Map.of(Failure.STATUS_502, 502, Failure.SEND_ERROR_504, 504,
                Failure.TIMEOUT, 504);
        Map<Failure, String> stored = new EnumMap<>(Failure.class);
        for (Failure failure : failures.keySet()) {
            HttpResponse<String> miss = app.get("/async/" + failure);
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
            stored.put(failure, miss.body());
            // Stored as the asynchronous response completes, which the client may see first.
            Eventually.until(() -> "HIT".equals(app.get("/async/" + failure).headers().firstValue("X-Cache")
                    .orElse("none")), Duration.ofSeconds(30), () -> failure + ": the miss was never stored");
        }
        clock.advance(Duration.ofSeconds(61));
        for (Map.Entry<Failure, Integer> failure : failures.entrySet()) {
            servlet.failure = failure.getKey();
            HttpResponse<String> stale = app.get("/async/" + failure.getKey());
            assertEquals(200, stale.statusCode(), failure.getKey().name());
            assertEquals(stored.get(failure.getKey()), stale.body(), failure.getKey().name());
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow(), failure.getKey().name());
            assertEquals("ResponseCache; fwd=stale; fwd-status=" + failure.getValue() + "; ttl=-1",
                    stale.headers().firstValue("Cache-Status").orElseThrow(), failure.getKey().name());
        }
        clock.advance(Duration.ofSeconds(600));
        for (Failure failure : failures.keySet()) {
            servlet.failure = failure;
            HttpResponse<String> error = app.get("/async/" + failure);
            assertNotEquals(200, error.statusCode(), failure + ": past the window the error goes through");
            assertNotEquals("STALE", error.headers().firstValue("X-Cache").orElse("none"), failure.name());
        }
        servlet.failure = null;
        assertEquals("MISS", app.get("/async/" + Failure.STATUS_502).headers().firstValue("X-Cache").orElseThrow());
    }

    enum Failure { STATUS_502, SEND_ERROR_504, TIMEOUT }

    /** Answers from another thread after {@code startAsync()}, or fails as told. */
    static final class FailingAsyncServlet extends HttpServlet {
        private final AtomicInteger calls = new AtomicInteger();
        volatile Failure failure;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            int call = calls.incrementAndGet();
            Failure failing = failure;
            AsyncContext async = request.startAsync();
            if (failing == Failure.TIMEOUT) {
                // Never completes: the container times the cycle out (see AsyncReportServlet for why not shorter).
                async.setTimeout(AsyncReportServlet.ABANDONED_TIMEOUT_MILLIS);
                return;
            }
            async.start(() -> {
                try {
                    HttpServletResponse out = (HttpServletResponse) async.getResponse();
                    out.setContentType("text/plain;charset=UTF-8");
                    if (failing == Failure.STATUS_502) {
                        out.setStatus(502);
                        out.getWriter().print("bad gateway");
                    } else if (failing == Failure.SEND_ERROR_504) {
                        out.sendError(504);
                    } else {
                        out.getWriter().print(request.getRequestURI() + " async call " + call);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }
}
