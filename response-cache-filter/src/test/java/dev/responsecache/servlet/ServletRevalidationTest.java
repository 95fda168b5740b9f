package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The filter with {@code ttl=headers} in front of a synchronous servlet that evaluates preconditions itself, on real
 * Jetty and Tomcat: a stale entry is revalidated through the chain and a 304 refreshes it.
 */
class ServletRevalidationTest {

    private static final String LAST_MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT";

    private final MutableClock clock = new MutableClock();
    private final ValidatingServlet servlet = new ValidatingServlet();
    private Container.Running app;

    private void start(Container container) {
        start(container, "off");
    }

    private void start(Container container, String compress) {
        app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COMPRESS, compress)
                .contextParam(ResponseCacheProperties.TAG_HEADER, "X-Cache-Tags")
                .filter("cache", new ResponseCacheFilter(), "/r/*", "ttl", "headers")
                .servlet("validating", servlet, "/r/*"));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staleEntryIsRevalidatedThroughTheChainAndA304ServesTheStoredBody(Container container) {
        start(container);
        assertEquals("body 1", app.get("/r/etag").body());
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> revalidated = app.get("/r/etag");
        assertEquals(200, revalidated.statusCode());
        assertEquals("body 1", revalidated.body());
        assertEquals("REVALIDATED", revalidated.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("2", revalidated.headers().firstValue("X-Validated").orElseThrow());
        assertEquals(List.of("null", "\"v1\""), servlet.conditions);
        HttpResponse<String> hit = app.get("/r/etag");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("body 1", hit.body());
        assertEquals(2, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aChangedResourceAnswers200AndReplacesTheEntry(Container container) {
        start(container);
        app.get("/r/etag");
        clock.advance(Duration.ofSeconds(61));
        servlet.version.set(2);
        HttpResponse<String> changed = app.get("/r/etag");
        assertEquals("body 2", changed.body());
        assertEquals("MISS", changed.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("body 2", app.get("/r/etag").body());
        assertEquals(2, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void ifModifiedSinceOfAClientIsAnsweredFromAFreshEntry(Container container) {
        start(container);
        app.get("/r/etag");
        HttpResponse<String> notModified = app.get("/r/etag", "If-Modified-Since", LAST_MODIFIED);
        assertEquals(304, notModified.statusCode());
        assertEquals(1, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void gzipTagOfAStaleEntryIsRevalidatedWithTheOriginsTagAndAnswered304(Container container) {
        start(container, "gzip");
        app.get("/r/big");
        HttpResponse<String> zipped = app.get("/r/big", "Accept-Encoding", "gzip");
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElseThrow());
        String gzipTag = zipped.headers().firstValue("ETag").orElseThrow();
        assertEquals("\"v1-gzip\"", gzipTag);
        clock.advance(Duration.ofSeconds(61));

        // The browser's tag was never the origin's: the cache asks with the stored one and answers the browser's.
        HttpResponse<String> notModified = app.get("/r/big", "Accept-Encoding", "gzip", "If-None-Match", gzipTag);
        assertEquals(304, notModified.statusCode());
        assertEquals(gzipTag, notModified.headers().firstValue("ETag").orElseThrow());
        assertEquals("REVALIDATED", notModified.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(List.of("null", "\"v1\""), servlet.conditions);
        HttpResponse<String> hit = app.get("/r/big", "Accept-Encoding", "gzip", "If-None-Match", gzipTag);
        assertEquals(304, hit.statusCode());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(2, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staleIfErrorDirectiveAnswersAFailingServletWithTheStaleEntry(Container container) {
        start(container);
        assertEquals("sie 1", app.get("/r/sie").body());
        clock.advance(Duration.ofSeconds(90));
        servlet.failing.set(true);
        HttpResponse<String> stale = app.get("/r/sie");
        assertEquals(200, stale.statusCode());
        assertEquals("sie 1", stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; fwd-status=500; ttl=-30",
                stale.headers().firstValue("Cache-Status").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void tagHeaderOfA304IsNeverSentNorStored(Container container) {
        start(container);
        HttpResponse<String> first = app.get("/r/etag");
        assertEquals(Optional.empty(), first.headers().firstValue("X-Cache-Tags"), "miss");
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> revalidated = app.get("/r/etag");
        assertEquals("REVALIDATED", revalidated.headers().firstValue("X-Cache").orElseThrow());
        HttpResponse<String> hit = app.get("/r/etag");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(Optional.empty(), hit.headers().firstValue("X-Cache-Tags"), "hit after revalidation");
        assertEquals(Optional.empty(), revalidated.headers().firstValue("X-Cache-Tags"), "revalidated");
    }

    /** Answers 304 itself when the request's If-None-Match names its current version. */
    static final class ValidatingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicInteger calls = new AtomicInteger();
        final transient AtomicInteger version = new AtomicInteger(1);
        final transient AtomicBoolean failing = new AtomicBoolean();
        final transient List<String> conditions = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            int n = calls.incrementAndGet();
            if (request.getRequestURI().endsWith("/sie")) {
                if (failing.get()) {
                    throw new ServletException("origin down");
                }
                write(response, "max-age=60, stale-if-error=600", "sie " + n);
                return;
            }
            conditions.add(String.valueOf(request.getHeader("If-None-Match")));
            String etag = "\"v" + version.get() + "\"";
            response.setHeader("ETag", etag);
            response.setHeader("X-Cache-Tags", "product-42");
            response.setHeader("Last-Modified", LAST_MODIFIED);
            if (etag.equals(request.getHeader("If-None-Match"))) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                response.setHeader("Cache-Control", "max-age=60");
                response.setHeader("X-Validated", Integer.toString(n));
                return;
            }
            String body = "body " + version.get();
            write(response, "max-age=60", request.getRequestURI().endsWith("/big") ? body.repeat(400) : body);
        }

        private static void write(HttpServletResponse response, String cacheControl, String body)
                throws IOException {
            response.setHeader("Cache-Control", cacheControl);
            response.setContentType("text/plain");
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
