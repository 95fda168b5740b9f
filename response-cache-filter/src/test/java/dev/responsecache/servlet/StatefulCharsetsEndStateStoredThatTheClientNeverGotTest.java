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
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A charset whose encoder keeps a state between characters (ISO-2022-JP shifts into JIS X 0208 with {@code ESC $ B}
 * and back to ASCII with {@code ESC ( B}) ends its output, when the encoder is told the text ended, with the escape
 * back to its initial state. Neither container tells its writer's encoder that: a page ending in kanji goes out
 * without the final {@code ESC ( B}, whether or not the servlet flushes or closes its writer. The copy's encoder was
 * closed to end the body, which wrote that escape into the entry: every hit answered three bytes more than the servlet
 * sent (its {@code Content-Length} and derived {@code ETag} too), and so did a refreshed entry.
 */
class StatefulCharsetsEndStateStoredThatTheClientNeverGotTest {

    /** Writes 日本 and a語 in two writes (flushed between them with {@code flush}), closed after with {@code close}. */
    static final class JapanesePage extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType("text/plain;charset=ISO-2022-JP");
            PrintWriter writer = response.getWriter();
            writer.write("\u65e5\u672c");
            if (request.getParameter("flush") != null) {
                writer.flush();
            }
            writer.write("a\u8a9e");
            if (request.getParameter("close") != null) {
                writer.close();
            }
        }
    }

    static Stream<Arguments> pages() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of("plain", "flush", "close", "flush&close")
                .map(query -> Arguments.of(container, query)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("pages")
    void hitsAndRefreshedEntriesAnswerTheBytesTheServletSent(Container container, String query) {
        MutableClock clock = new MutableClock();
        JapanesePage cached = new JapanesePage();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("cached", cached, "/cached/*")
                .servlet("alone", new JapanesePage(), "/alone/*"))) {
            byte[] alone = app.getBytes("/alone/page?" + query).body();
            assertEquals(16, alone.length, "ESC $ B, 日本, ESC ( B, a, ESC $ B, 語: no escape after the last kanji");
            HttpResponse<byte[]> miss = app.getBytes("/cached/page?" + query);
            assertArrayEquals(alone, miss.body());
            HttpResponse<byte[]> hit = app.getBytes("/cached/page?" + query);
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertArrayEquals(alone, hit.body(), "the hit on " + container);

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.getBytes("/cached/page?" + query).headers().firstValue("X-Cache").orElse(""));
            Eventually.until(() -> cached.calls.get() == 2 && "0".equals(app.getBytes("/cached/page?" + query)
                            .headers().firstValue("Age").orElse("")),
                    Duration.ofSeconds(30), () -> "the refreshed entry was never stored");
            assertArrayEquals(alone, app.getBytes("/cached/page?" + query).body(),
                    "the refreshed entry on " + container);
        }
    }
}
