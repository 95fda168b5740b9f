package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * A servlet that sets {@code application/json} without a charset and writes with its writer: Jetty encodes in the
 * UTF-8 it assumes for JSON and writes no charset ({@code application/json}), Tomcat encodes in ISO-8859-1 and says so
 * ({@code application/json;charset=ISO-8859-1}). The refresh's response used to do neither: the type as set over
 * ISO-8859-1 bytes, so that hits after a refresh sent other bytes (Jetty) or another type (Tomcat) than the miss.
 */
class RefreshedJsonEntryKeepsTheMissEncodingTest {

    static final class Greeting extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType("application/json");
            response.getWriter().write("{\"greeting\":\"Gr\u00fc\u00dfe\"}");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshedJsonEntryHasTheMissTypeAndBytes(Container container) {
        MutableClock clock = new MutableClock();
        Greeting servlet = new Greeting();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/greeting/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("greeting", servlet, "/greeting/*"))) {
            HttpResponse<byte[]> miss = app.getBytes("/greeting/de");
            String sent = miss.headers().firstValue("Content-Type").orElseThrow();

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.get("/greeting/de").headers().firstValue("X-Cache").orElseThrow());
            Eventually.until(() -> servlet.calls.get() == 2
                            && "HIT".equals(app.get("/greeting/de").headers().firstValue("X-Cache").orElse("")),
                    Duration.ofSeconds(30), () -> "the refreshed entry was never stored");

            HttpResponse<byte[]> refreshed = app.getBytes("/greeting/de");
            assertEquals("0", refreshed.headers().firstValue("Age").orElseThrow(), "the refreshed entry");
            assertEquals(sent, refreshed.headers().firstValue("Content-Type").orElse("none"), "on " + container);
            assertArrayEquals(miss.body(), refreshed.body(), "the bytes the miss sent, on " + container);
        }
    }
}
