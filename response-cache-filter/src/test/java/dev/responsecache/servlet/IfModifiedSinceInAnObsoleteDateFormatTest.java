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
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9110 5.6.7: a recipient MUST accept all three HTTP-date formats. A client's {@code If-Modified-Since} in the
 * obsolete RFC 850 or asctime format, naming the page's {@code Last-Modified}, is answered 304 by the servlet (the
 * container reads every format); a hit took the date for invalid and answered the whole 200. Each of the three
 * formats is asked of the origin first (a path the filter does not map) and then of a hit.
 */
class IfModifiedSinceInAnObsoleteDateFormatTest {

    private static final long LAST_MODIFIED = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();
    private Container.Running app;

    @BeforeEach
    void start() {
        app = Container.JETTY.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/h/*", "ttl", "headers")
                .servlet("origin", new Origin(), "/*"));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void aHitAnswersNotModifiedToEveryHttpDateFormat() {
        assertEquals("page", app.get("/h/page").body());
        for (String since : new String[] {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                "Sun Nov  6 08:49:37 1994"}) {
            assertEquals(304, app.get("/o/page", "If-Modified-Since", since).statusCode(), "origin: " + since);
            HttpResponse<String> hit = app.get("/h/page", "If-Modified-Since", since);
            assertEquals(304, hit.statusCode(), since + ", X-Cache: "
                    + hit.headers().firstValue("X-Cache").orElse("none"));
        }
    }

    private static final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected long getLastModified(HttpServletRequest request) {
            return LAST_MODIFIED;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Cache-Control", "max-age=60");
            response.setContentType("text/plain");
            response.getOutputStream().write("page".getBytes(StandardCharsets.UTF_8));
        }
    }
}
