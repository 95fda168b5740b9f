package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Stale-if-error in the servlet filter on real Jetty and Tomcat: a servlet that throws or answers a 5xx is answered
 * with the stale entry, and nothing it wrote reaches the client.
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
    void throwingServletWithinTheWindowIsAnsweredWithTheStaleEntry(Container container) {
        start(container);
        HttpResponse<String> miss = app.get("/stale/a");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        clock.advance(Duration.ofSeconds(90));
        servlet.failing.set(true);
        HttpResponse<String> stale = app.get("/stale/a");
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("90", stale.headers().firstValue("Age").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; fwd-status=500; ttl=-30",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals("text/plain;charset=utf-8",
                stale.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase());
        assertEquals(2, servlet.calls.get());
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
    void servletAnsweringA503WithinTheWindowIsAnsweredWithTheStaleEntry(Container container) {
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
    void sendErrorWithinTheWindowIsAnsweredStaleAndPastItIsTheContainersPage(Container container) {
        start(container);
        HttpResponse<String> miss = app.get("/stale/page");
        clock.advance(Duration.ofSeconds(61));
        servlet.sendsError.set(true);
        HttpResponse<String> stale = app.get("/stale/page");
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("ResponseCache; fwd=stale; fwd-status=503; ttl=-1",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        clock.advance(Duration.ofSeconds(600));
        assertEquals(503, app.get("/stale/page").statusCode());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void failurePastTheWindowOrForAnotherVaryValueIsAnError(Container container) {
        start(container);
        app.get("/stale/b", "Accept-Language", "fr");
        clock.advance(Duration.ofSeconds(61));
        servlet.failing.set(true);
        assertEquals(500, app.get("/stale/b", "Accept-Language", "de").statusCode());
        assertEquals(200, app.get("/stale/b", "Accept-Language", "fr").statusCode());
        clock.advance(Duration.ofSeconds(600));
        assertEquals(500, app.get("/stale/b", "Accept-Language", "fr").statusCode());
    }

    /** Answers a text body, or, once told to, throws (after writing part of a body, if told to). */
    static final class FailingServlet extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicBoolean writeBeforeFailing = new AtomicBoolean();
        final AtomicBoolean answers503 = new AtomicBoolean();
        final AtomicBoolean sendsError = new AtomicBoolean();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            response.setContentType("text/plain;charset=utf-8");
            if (answers503.get()) {
                response.setStatus(503);
                response.getWriter().write("backend down");
                return;
            }
            if (sendsError.get()) {
                response.sendError(503);
                return;
            }
            if (failing.get()) {
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
