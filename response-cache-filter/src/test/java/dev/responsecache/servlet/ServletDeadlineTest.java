package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The servlet filter's {@code staleIfErrorDeadline} on real Jetty and Tomcat. The servlet is held on a gate that the
 * test opens only after the client has its answer, so only the deadline can have answered it; nothing is timed.
 */
class ServletDeadlineTest {

    private final MutableClock clock = new MutableClock();
    private final GatedServlet servlet = new GatedServlet();
    private Container.Running app;
    /** Counts the requests that went back through the filters in front: the miss, then the late one. */
    private final CountDownLatch completed = new CountDownLatch(2);

    @AfterEach
    void stop() {
        servlet.gate.countDown();
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletPastItsDeadlineIsAnsweredStaleAndItsResponseStillRefreshesTheEntry(Container container)
            throws Exception {
        app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("front", new PerRequestHeadersFilter(), "/*")
                .filter("completed", (request, response, chain) -> {
                    chain.doFilter(request, response);
                    completed.countDown();
                }, "/*")
                .filter("cache", new ResponseCacheFilter(), "/slow/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "1")
                .servlet("slow", servlet, "/slow/*"));
        HttpResponse<String> miss = app.get("/slow/a");
        assertEquals("/slow/a call 1", miss.body());
        clock.advance(Duration.ofSeconds(61));
        servlet.gated = true;
        HttpResponse<String> stale = app.get("/slow/a", "X-Request-Id", "r-7");
        assertTrue(servlet.entered.await(30, TimeUnit.SECONDS), "the servlet was running");
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; fwd-status=504; ttl=-1",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals("r-7", stale.headers().firstValue("X-Request-Id").orElseThrow(),
                "headers a filter in front set for this request are kept");
        servlet.gated = false;
        servlet.gate.countDown();
        // The cache filter has stored (or refused) the late response once the filter in front sees it return.
        assertTrue(completed.await(30, TimeUnit.SECONDS), "the late request completed");
        HttpResponse<String> refreshed = app.get("/slow/a");
        assertEquals("HIT", refreshed.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("/slow/a call 2", refreshed.body());
        assertEquals("yes", refreshed.headers().firstValue("X-Slow").orElseThrow(),
                "the late response's headers were kept apart and stored");
        assertEquals(2, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void revalidationAnswering304AfterTheDeadlineStillValidatesTheStaleEntry(Container container) throws Exception {
        late304ValidatesTheStaleEntry(container, false);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void asynchronousRevalidationAnswering304AfterTheDeadlineStillValidatesTheStaleEntry(Container container)
            throws Exception {
        late304ValidatesTheStaleEntry(container, true);
    }

    /** A revalidation that the deadline answered stale, answered 304 by the servlet once the client has the entry. */
    private void late304ValidatesTheStaleEntry(Container container, boolean asynchronous) throws Exception {
        GatedServlet validating = new GatedServlet();
        validating.validates = true;
        validating.completesAsynchronously = asynchronous;
        app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("completed", (request, response, chain) -> {
                    chain.doFilter(request, response);
                    completed.countDown();
                }, "/*")
                .filter("cache", new ResponseCacheFilter(), "/validated/*", "ttl", "headers",
                        "staleIfErrorDeadline", "1")
                .servlet("validated", validating, "/validated/*"));
        try {
            HttpResponse<String> miss = app.get("/validated/a");
            assertEquals("/validated/a call 1", miss.body());
            clock.advance(Duration.ofSeconds(11));
            validating.gated = true;
            HttpResponse<String> stale = app.get("/validated/a");
            assertTrue(validating.entered.await(30, TimeUnit.SECONDS), "the revalidation was running");
            assertEquals(miss.body(), stale.body());
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
            validating.gated = false;
            validating.gate.countDown();
            // Synchronous: handled once the filter in front sees the servlet return. Asynchronous: the cache answers
            // a completing response before its complete() returns.
            assertTrue((asynchronous ? validating.completed : completed).await(30, TimeUnit.SECONDS),
                    "the late revalidation completed");

            HttpResponse<String> validated = app.get("/validated/a");
            assertEquals("HIT", validated.headers().firstValue("X-Cache").orElseThrow(),
                    "the late 304 validated the entry");
            assertEquals(miss.body(), validated.body(), "the stored body, not the 304's empty one");
            assertEquals("2", validated.headers().firstValue("X-Call").orElseThrow(), "with the 304's headers");
            assertEquals(2, validating.calls.get(), "the miss and the one revalidation");
        } finally {
            validating.gate.countDown();
        }
    }

    /**
     * Sets its headers, then (when gated) waits for the test before it writes its body. When it {@code validates},
     * its responses say themselves how long they are fresh (10 s, then stale-if-error) and carry a tag, which a
     * request repeating it is answered 304 for.
     */
    static final class GatedServlet extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean gated;
        volatile boolean validates;
        /** Answers from another thread, after {@code startAsync}, once the gate opened. */
        volatile boolean completesAsynchronously;
        /** Counted down once an asynchronous answer's {@code complete()} returned. */
        final CountDownLatch completed = new CountDownLatch(1);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            response.setContentType("text/plain;charset=utf-8");
            response.setHeader("X-Slow", "yes");
            if (validates) {
                response.setHeader("ETag", "\"v1\"");
                response.setHeader("Cache-Control", "max-age=10, stale-if-error=600");
                response.setHeader("X-Call", Integer.toString(call));
            }
            boolean held = gated;
            if (held) {
                entered.countDown();
                try {
                    if (!gate.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the gate never opened");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (held && completesAsynchronously) {
                AsyncContext async = request.startAsync(request, response);
                async.start(() -> {
                    try {
                        answer((HttpServletRequest) async.getRequest(), (HttpServletResponse) async.getResponse(),
                                call);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } finally {
                        try {
                            async.complete();
                        } finally {
                            completed.countDown();
                        }
                    }
                });
                return;
            }
            answer(request, response, call);
        }

        private void answer(HttpServletRequest request, HttpServletResponse response, int call) throws IOException {
            if (validates && "\"v1\"".equals(request.getHeader("If-None-Match"))) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return;
            }
            response.getWriter().write(request.getRequestURI() + " call " + call);
        }
    }
}
