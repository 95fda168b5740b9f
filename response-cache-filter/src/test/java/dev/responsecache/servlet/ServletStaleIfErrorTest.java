package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheInvalidator;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stale-if-error where it is the servlet filter's own, on real Jetty and Tomcat: nothing a failing servlet wrote
 * reaches the client, and headers set in front of the filter stay. What both adapters do alike is
 * {@code StaleIfErrorParityContract}'s, in runtime-tests.
 */
class ServletStaleIfErrorTest {

    private final MutableClock clock = new MutableClock();
    private final FailingServlet servlet = new FailingServlet();
    private Container.Running app;

    private void start(Container container) {
        app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("front", new PerRequestHeadersFilter(), "/*")
                .filter("cache", new ResponseCacheFilter(), "/stale/*", "ttl", "60", "staleIfError", "600",
                        "varyBy", "header:Accept-Language")
                .servlet("failing", servlet, "/stale/*"));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void bytesWrittenBeforeTheFailureNeverReachTheClient(Container container) {
        start(container);
        HttpResponse<String> miss = app.get("/stale/partial");
        clock.advance(Duration.ofSeconds(61));
        servlet.failing.set(true);
        servlet.writeBeforeFailing.set(true);
        HttpResponse<String> stale = app.get("/stale/partial");
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staleAnswerToA503KeepsTheHeadersAFilterInFrontSetForThisRequest(Container container) {
        start(container);
        HttpResponse<String> miss = app.get("/stale/status");
        clock.advance(Duration.ofSeconds(61));
        servlet.answers503.set(true);
        HttpResponse<String> stale = app.get("/stale/status", "X-Request-Id", "r-42");
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("ResponseCache; fwd=stale; fwd-status=503; ttl=-1",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals("r-42", stale.headers().firstValue("X-Request-Id").orElseThrow(),
                "headers a filter in front set for this request are kept");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void entryEvictedWhileTheServletRanNeverAnswersItsError(Container container) {
        start(container);
        app.get("/stale/evicted");
        clock.advance(Duration.ofSeconds(61));
        servlet.failing.set(true);
        servlet.evictBeforeFailing.set(true);
        HttpResponse<String> failed = app.get("/stale/evicted");
        assertEquals(500, failed.statusCode(), "the entry evicted during the request answered its error");
    }

    /** Answers a text body, or, once told to, throws (after writing part of a body, if told to). */
    static final class FailingServlet extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicBoolean writeBeforeFailing = new AtomicBoolean();
        final AtomicBoolean answers503 = new AtomicBoolean();
        /** An update of the resource while this request runs: its entries are evicted, then the servlet fails. */
        final AtomicBoolean evictBeforeFailing = new AtomicBoolean();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            response.setContentType("text/plain;charset=utf-8");
            if (answers503.get()) {
                response.setStatus(503);
                response.getWriter().write("backend down");
                return;
            }
            if (failing.get()) {
                if (evictBeforeFailing.get()) {
                    ((ResponseCacheInvalidator) getServletContext().getAttribute(ResponseCacheInvalidator.ATTRIBUTE))
                            .evictPath(request.getRequestURI());
                }
                if (writeBeforeFailing.get()) {
                    response.setStatus(503);
                    response.getWriter().write("half a page");
                    response.getWriter().flush();
                }
                throw new IllegalStateException("backend down");
            }
            response.getWriter().write(request.getRequestURI() + " call " + call);
        }
    }
}
