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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9111 5.3: "If a response includes a Cache-Control header field with the max-age directive, a recipient MUST
 * ignore the Expires header field", and 4.2.1: a response with invalid freshness information (a max-age that is not
 * a non-negative integer) is best taken as stale. A response saying {@code Cache-Control: max-age=-1} (what several
 * frameworks write for "expire now") with an {@code Expires} an hour ahead is stored fresh for that hour by the
 * header-driven mode: CacheControl#seconds reads the invalid value as "absent" and Rfc9111Rules#lifetimeMillis falls
 * through to Expires. The next request, after the page changed, gets the old page from the cache (X-Cache: HIT)
 * where the origin sends the new one.
 */
class InvalidMaxAgeStillOverridesExpiresTest {

    private final AtomicInteger version = new AtomicInteger(1);
    private Container.Running app;

    @BeforeEach
    void start() {
        app = Container.JETTY.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/h/*", "ttl", "headers")
                .servlet("origin", new Origin(), "/h/*"));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void negativeMaxAgeWithALaterExpiresIsNotAnsweredFromTheCache() {
        assertEquals("version 1", app.get("/h/page").body());
        version.set(2);
        HttpResponse<String> next = app.get("/h/page");
        // Got: "version 1" (X-Cache: HIT, fresh by Expires). Due: "version 2", max-age being present voids Expires.
        assertEquals("version 2", next.body(), "X-Cache: " + next.headers().firstValue("X-Cache").orElse("none"));
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setHeader("Cache-Control", "max-age=-1");
            response.setHeader("Expires", DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1)));
            response.setContentType("text/plain");
            response.getOutputStream().write(("version " + version.get()).getBytes(StandardCharsets.UTF_8));
        }
    }
}
