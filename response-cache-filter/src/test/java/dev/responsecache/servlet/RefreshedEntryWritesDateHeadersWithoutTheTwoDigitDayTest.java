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
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that sets {@code Last-Modified} with {@code setDateHeader}: both containers write an IMF-fixdate, whose day
 * has two digits ({@code Thu, 05 Nov 2026 08:00:00 GMT}, RFC 9110 5.6.7). A stale-while-revalidate refresh runs the
 * servlet into the cache's detached response, which formats the date with {@code DateTimeFormatter.RFC_1123_DATE_TIME}
 * (a day of one digit, {@code Thu, 5 Nov 2026 ...}), and the refreshed entry is stored so.
 *
 * <p>What the client gets after the refresh: {@code Last-Modified: Thu, 5 Nov 2026 08:00:00 GMT}, not an IMF-fixdate,
 * and other bytes than the servlet's own (a client that revalidates with the exact string it got, or parses strictly,
 * sees another validator). What it should get: {@code Thu, 05 Nov 2026 08:00:00 GMT}, as the miss and the servlet
 * run without the cache send.
 */
class RefreshedEntryWritesDateHeadersWithoutTheTwoDigitDayTest {

    static final long MODIFIED = Instant.parse("2026-11-05T08:00:00Z").toEpochMilli();

    static final class Document extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType("text/plain;charset=UTF-8");
            response.setDateHeader("Last-Modified", MODIFIED);
            response.getWriter().write("document");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void refreshedEntryKeepsTheContainersDateFormat(Container container) {
        MutableClock clock = new MutableClock();
        Document servlet = new Document();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/doc/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("doc", servlet, "/doc/*"))) {
            HttpResponse<String> miss = app.get("/doc/a");
            assertEquals("Thu, 05 Nov 2026 08:00:00 GMT", miss.headers().firstValue("Last-Modified").orElseThrow());

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.get("/doc/a").headers().firstValue("X-Cache").orElseThrow());
            Eventually.until(() -> servlet.calls.get() == 2
                            && "HIT".equals(app.get("/doc/a").headers().firstValue("X-Cache").orElse("")),
                    Duration.ofSeconds(30), () -> "the refreshed entry was never stored");

            HttpResponse<String> refreshed = app.get("/doc/a");
            assertEquals("0", refreshed.headers().firstValue("Age").orElseThrow(), "the refreshed entry");
            assertEquals("Thu, 05 Nov 2026 08:00:00 GMT",
                    refreshed.headers().firstValue("Last-Modified").orElse("none"), "on " + container);
        }
    }
}
