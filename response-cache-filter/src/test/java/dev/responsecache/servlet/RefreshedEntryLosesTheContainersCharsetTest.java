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
 * A servlet that sets a content type without a charset and writes with its writer: the container encodes with its
 * default, ISO-8859-1, and says so, {@code Content-Type: text/plain;charset=ISO-8859-1} (Jetty and Tomcat both). A
 * stale-while-revalidate refresh runs the servlet into the cache's detached response, which reports the type as the
 * servlet set it, without the charset its writer encodes with, and the refreshed entry is stored so.
 *
 * <p>What the client gets after the refresh: the same ISO-8859-1 bytes under {@code Content-Type: text/plain}, no
 * charset, which a client reads in its own default (UTF-8 for {@code java.net.http}: "Gr\uFFFD\uFFFDe" instead of
 * "Gr\u00fc\u00dfe"). What it should get: the miss's {@code Content-Type: text/plain;charset=ISO-8859-1}, as the
 * servlet run without the cache sends.
 */
class RefreshedEntryLosesTheContainersCharsetTest {

    static final class Greeting extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType("text/plain");
            response.getWriter().write("Gr\u00fc\u00dfe");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshedEntryKeepsTheCharsetTheContainerSent(Container container) {
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
