package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An entity tag may hold a comma (RFC 9110 8.8.3: etagc is %x21 / %x23-7E / obs-text), as tags built from a version
 * list do ({@code "v1,en"}). A client that sends the stored response's own tag in {@code If-None-Match} is due a 304,
 * which the origin sends without the cache; the cache's hit answers a whole 200 instead: it splits the
 * {@code If-None-Match} value on every comma (ETags#noneMatchHits), inside the quoted tag too, so the tag it compares
 * ({@code "v1,en"}) never equals a piece ({@code "v1} and {@code en"}).
 */
class EntityTagHoldingACommaIsAnsweredNotModifiedTest {

    private static final String TAG = "\"v1,en\"";

    private final AtomicInteger calls = new AtomicInteger();
    private Container.Running app;

    @BeforeEach
    void start() {
        app = Container.JETTY.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/h/*", "ttl", "headers")
                .servlet("origin", new Origin(), "/h/*")
                .servlet("direct", new Origin(), "/direct"));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void withoutTheCacheTheOriginAnswersItsOwnCommaTagWith304() {
        // The origin alone (a path the filter does not map): the 304 the client is due.
        HttpResponse<String> direct = app.get("/direct", "If-None-Match", TAG);
        assertEquals(304, direct.statusCode());
    }

    @Test
    void hitAnswersIfNoneMatchNamingTheStoredCommaTagWith304() {
        HttpResponse<String> first = app.get("/h/page");
        assertEquals(200, first.statusCode());
        assertEquals(TAG, first.headers().firstValue("ETag").orElse(null));
        HttpResponse<String> conditional = app.get("/h/page", "If-None-Match", TAG);
        // Got: 200 with the whole body from the entry (X-Cache: HIT). Due: 304, as the origin sends uncached.
        assertEquals(304, conditional.statusCode(), "X-Cache: "
                + conditional.headers().firstValue("X-Cache").orElse("none") + ", origin calls: " + calls.get());
    }

    @Test
    void hitAnswersAListNamingTheStoredCommaTagWith304() {
        assertEquals(200, app.get("/h/page").statusCode());
        HttpResponse<String> conditional = app.get("/h/page", "If-None-Match", "\"v0\", " + TAG);
        // Got: 200 with the whole body. Due: 304 (the list names the current representation's tag).
        assertEquals(304, conditional.statusCode(), "X-Cache: "
                + conditional.headers().firstValue("X-Cache").orElse("none"));
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("ETag", TAG);
            String ifNoneMatch = request.getHeader("If-None-Match");
            if (ifNoneMatch != null && ifNoneMatch.contains(TAG)) {
                response.setStatus(304);
                return;
            }
            response.setContentType("text/plain");
            response.getOutputStream().write("page".getBytes(StandardCharsets.UTF_8));
        }
    }
}
