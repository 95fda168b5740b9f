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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that sets {@code text/html} and a locale, and no charset, before its writer: the container's
 * locale-encoding mapping may name the charset (Tomcat maps French to ISO-8859-1 and sends
 * {@code text/html;charset=ISO-8859-1}; Jetty has no mapping and sends the UTF-8 it infers for HTML), and the servlet
 * API does not show that mapping. The refresh used to store {@code text/html} over ISO-8859-1 bytes on both. A refresh
 * that cannot know what the container would send must not store: every answer, before and after the refresh ran, is
 * the miss's.
 */
class RefreshOfAPageWhoseLocaleMayNameTheCharsetTest {

    static final class FrenchPage extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType("text/html");
            response.setLocale(Locale.FRANCE);
            response.getWriter().write("d\u00e9j\u00e0 vu");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshWhoseCharsetALocaleMappingMayNameIsNotStored(Container container) {
        MutableClock clock = new MutableClock();
        FrenchPage servlet = new FrenchPage();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", servlet, "/page/*"))) {
            HttpResponse<byte[]> miss = app.getBytes("/page/a");
            String type = miss.headers().firstValue("Content-Type").orElseThrow();
            assertEquals(List.of("fr-FR"), miss.headers().allValues("Content-Language"));

            clock.advance(Duration.ofSeconds(70));
            // A second refresh starts only once the first has ended: had the first stored, this would be a hit.
            Eventually.until(() -> {
                HttpResponse<byte[]> answer = app.getBytes("/page/a");
                assertEquals(type, answer.headers().firstValue("Content-Type").orElse("none"), "on " + container);
                assertArrayEquals(miss.body(), answer.body(), "on " + container);
                assertEquals("STALE", answer.headers().firstValue("X-Cache").orElse("none"), "on " + container);
                return servlet.calls.get() >= 3;
            }, Duration.ofSeconds(30), () -> "the first refresh never ended");
        }
    }
}
