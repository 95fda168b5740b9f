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
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An {@code If-Range} date gives a part of a stored 200 only when the stored {@code Last-Modified} is strong: the
 * stored {@code Date} at least a second after it (RFC 9110 13.1.5, 8.8.2.2). A representation changed twice within
 * the second of its {@code Last-Modified} has two bodies under one date, and a part of the other one would be spliced
 * into the client's copy.
 */
class ServletIfRangeDateTest {

    private static final String BODY = "0123456789abcdefghij";
    private static final String MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT";

    private final MutableClock clock = new MutableClock();
    private Container.Running app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /**
     * Tomcat for a servlet that sets {@code Date}: Jetty presets one before the filter runs, and a response that
     * replaces a preset header is not stored.
     */
    private void start(Container container, String ttl) {
        app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/r/*", "ttl", ttl)
                .servlet("dated", new DatedServlet(), "/r/*"));
    }

    private HttpResponse<String> rangeIfModified(String path) {
        app.get(path);
        return app.get(path, "Range", "bytes=3-6", "If-Range", MODIFIED);
    }

    @Test
    void ifRangeDateOfAWeakLastModifiedGetsTheWholeResponse() {
        start(Container.TOMCAT, "headers");
        HttpResponse<String> sameSecond = rangeIfModified("/r/same-second");
        assertEquals(200, sameSecond.statusCode(), "Date within the second of Last-Modified: a weak validator");
        assertEquals(BODY, sameSecond.body());
        assertEquals("HIT", sameSecond.headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void ifRangeDateOfAStrongLastModifiedGetsThePart() {
        start(Container.TOMCAT, "headers");
        HttpResponse<String> later = rangeIfModified("/r/later");
        assertEquals(206, later.statusCode());
        assertEquals("3456", later.body());
        assertEquals("bytes 3-6/20", later.headers().firstValue("Content-Range").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void ifRangeDateOfAHeaderModeEntryStoredWithoutDateGetsThePart(Container container) {
        // Jetty sets Date before the filter runs (not stored: another request's header), Tomcat after it: the entry
        // has none, and the instant the origin generated it, ten seconds after its Last-Modified, stands for it.
        clock.advance(Duration.ofSeconds(10));
        start(container, "headers");
        HttpResponse<String> part = rangeIfModified("/r/plain");
        assertEquals(206, part.statusCode());
        assertEquals("3456", part.body());
        assertEquals("bytes 3-6/20", part.headers().firstValue("Content-Range").orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void ifRangeDateOfAHeaderModeEntryStoredWithoutDateWithinItsSecondGetsTheWholeResponse(Container container) {
        // Generated in the second of its Last-Modified: a weak validator.
        start(container, "headers");
        HttpResponse<String> whole = rangeIfModified("/r/plain");
        assertEquals(200, whole.statusCode());
        assertEquals(BODY, whole.body());
        assertEquals("HIT", whole.headers().firstValue("X-Cache").orElseThrow());
    }

    @Test
    void ifRangeDateOfAnEntryWithoutDateGetsTheWholeResponse() {
        // The ttl mode stores no Date, and its stored-at is when the response was complete: nothing tells that the
        // Last-Modified is strong.
        start(Container.JETTY, "60");
        HttpResponse<String> noDate = rangeIfModified("/r/plain");
        assertEquals(200, noDate.statusCode());
        assertEquals(BODY, noDate.body());
        assertEquals("HIT", noDate.headers().firstValue("X-Cache").orElseThrow());
    }

    /** Sends a Date in the second of its Last-Modified, ten seconds after it, or none. */
    static final class DatedServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("Last-Modified", MODIFIED);
            String path = request.getRequestURI();
            if (!path.endsWith("/plain")) {
                response.setHeader("Date", path.endsWith("/later") ? "Thu, 01 Jan 2026 00:00:10 GMT" : MODIFIED);
            }
            response.setContentType("text/plain");
            response.getOutputStream().write(BODY.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
