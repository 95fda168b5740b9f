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
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code "fr,*,gz"} is one entity tag (RFC 9110 8.8.3: a comma and a star are etagc), not a list holding the
 * wildcard. A client whose copy carries that old tag, asking with {@code If-None-Match: "fr,*,gz"} after the
 * representation changed to {@code "v2"}, is due the new 200 (the origin sends it uncached). A hit answers
 * {@code 304 Not Modified} instead: the client keeps showing its old copy. ETags#noneMatchHits splits the value on
 * every comma, inside the quotes too, and takes the piece {@code *} for {@code If-None-Match: *}.
 */
class EntityTagHoldingAStarBetweenCommasIsNotAWildcardTest {

    private static final String OLD_TAG = "\"fr,*,gz\"";

    private final AtomicReference<String> tag = new AtomicReference<>(OLD_TAG);
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
    void withoutTheCacheTheChangedRepresentationIsSentWhole() {
        tag.set("\"v2\"");
        HttpResponse<String> direct = app.get("/direct", "If-None-Match", OLD_TAG);
        assertEquals(200, direct.statusCode());
        assertEquals("body \"v2\"", direct.body());
    }

    @Test
    void hitAnswersAnOldTagHoldingAStarWithTheChangedRepresentation() {
        tag.set("\"v2\"");
        HttpResponse<String> first = app.get("/h/page");
        assertEquals("body \"v2\"", first.body());
        HttpResponse<String> conditional = app.get("/h/page", "If-None-Match", OLD_TAG);
        // Got: 304 (X-Cache: HIT), the client keeps its "fr,*,gz" copy. Due: 200 with the "v2" body.
        assertEquals(200, conditional.statusCode(), "X-Cache: "
                + conditional.headers().firstValue("X-Cache").orElse("none"));
        assertEquals("body \"v2\"", conditional.body());
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String current = tag.get();
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("ETag", current);
            // The origin's tags are single values; the whole field is the client's one tag.
            if (current.equals(request.getHeader("If-None-Match"))) {
                response.setStatus(304);
                return;
            }
            response.setContentType("text/plain");
            response.getOutputStream().write(("body " + current).getBytes(StandardCharsets.UTF_8));
        }
    }
}
