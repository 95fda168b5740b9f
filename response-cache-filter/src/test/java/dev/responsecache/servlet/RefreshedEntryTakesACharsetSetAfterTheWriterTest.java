package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that takes its writer and then sets a type with another charset: the container keeps encoding with the
 * writer's charset (ISO-8859-1) and ignores the charset set after it (Servlet 6.0, {@code setContentType}: "does not
 * set the response's character encoding if it is called after getWriter"), so the miss says
 * {@code text/plain;charset=ISO-8859-1} over ISO-8859-1 bytes. A stale-while-revalidate refresh runs the servlet into
 * the cache's detached response, whose {@code setContentType} takes the charset whenever it is set: the refreshed entry
 * says {@code charset=UTF-8} over the ISO-8859-1 bytes the copy encoded.
 *
 * <p>What the client gets after the refresh: {@code Content-Type: text/plain;charset=UTF-8} with the body
 * {@code 47 72 FC DF 65}, which is not UTF-8 (a client decodes "Gr\uFFFD\uFFFDe"). What it should get: the miss's type
 * with the charset the bytes are in.
 */
class RefreshedEntryTakesACharsetSetAfterTheWriterTest {

    static final class Greeting extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType("text/plain");
            java.io.PrintWriter writer = response.getWriter();
            response.setContentType("text/plain;charset=UTF-8");
            writer.write("Gr\u00fc\u00dfe");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshedEntryKeepsTheCharsetTheWriterEncodesWith(Container container) {
        MutableClock clock = new MutableClock();
        Greeting servlet = new Greeting();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/greeting/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("greeting", servlet, "/greeting/*"))) {
            HttpResponse<String> miss = app.get("/greeting/de");
            String sent = miss.headers().firstValue("Content-Type").orElseThrow();
            assertEquals("text/plain;charset=iso-8859-1", sent.toLowerCase(java.util.Locale.ROOT));
            assertEquals("Gr\u00fc\u00dfe", miss.body());

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.get("/greeting/de").headers().firstValue("X-Cache").orElseThrow());
            Eventually.until(() -> servlet.calls.get() == 2
                            && "HIT".equals(app.get("/greeting/de").headers().firstValue("X-Cache").orElse("")),
                    Duration.ofSeconds(30), () -> "the refreshed entry was never stored");

            HttpResponse<String> refreshed = app.get("/greeting/de");
            assertEquals("0", refreshed.headers().firstValue("Age").orElseThrow(), "the refreshed entry");
            assertEquals(sent, refreshed.headers().firstValue("Content-Type").orElse("none"), "on " + container);
            assertEquals("Gr\u00fc\u00dfe", refreshed.body());
        }
    }
}
