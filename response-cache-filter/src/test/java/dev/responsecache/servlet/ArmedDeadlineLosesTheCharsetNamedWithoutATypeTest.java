package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With a {@code staleIfErrorDeadline}, the servlet of an expired entry runs into a response that holds its status and
 * headers until it takes the container's stream or writer, then copies them to the container. It copied the headers
 * and the content type, not a charset named with {@code setCharacterEncoding} and no type: the container's writer then
 * encoded in ISO-8859-1 what the servlet meant as UTF-8, and dates set before the writer had a one-digit day. Now the
 * servlet's calls are made again on the container, which answers as without the cache. The deadline (300 s) never
 * passes here: the servlet itself answers.
 */
class ArmedDeadlineLosesTheCharsetNamedWithoutATypeTest {

    static final long MODIFIED = Instant.parse("2026-11-05T08:00:00Z").toEpochMilli();

    static final class Greeting extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setCharacterEncoding("UTF-8");
            response.setDateHeader("Last-Modified", MODIFIED);
            response.getWriter().write("Gr\u00fc\u00dfe");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletAnsweringWithTheDeadlineArmedSendsWhatItWouldWithoutTheCache(Container container) {
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/greeting/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "300")
                .servlet("greeting", new Greeting(), "/greeting/*")
                .servlet("uncached", new Greeting(), "/uncached/*"))) {
            HttpResponse<byte[]> uncached = app.getBytes("/uncached/de");
            assertArrayEquals("Gr\u00fc\u00dfe".getBytes(StandardCharsets.UTF_8), uncached.body(), "without the cache");
            assertEquals("MISS", app.getBytes("/greeting/de").headers().firstValue("X-Cache").orElseThrow());

            clock.advance(Duration.ofSeconds(70));
            HttpResponse<byte[]> armed = app.getBytes("/greeting/de");
            assertEquals("MISS", armed.headers().firstValue("X-Cache").orElseThrow(), "the servlet answered");
            assertArrayEquals(uncached.body(), armed.body(), "on " + container);
            assertEquals(uncached.headers().firstValue("Content-Type"), armed.headers().firstValue("Content-Type"));
            assertEquals("Thu, 05 Nov 2026 08:00:00 GMT",
                    armed.headers().firstValue("Last-Modified").orElse("none"), "on " + container);
        }
    }
}
