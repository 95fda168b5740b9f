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
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jetty reads a type's charset only as {@code charset} in lower case after a {@code ;} and spaces: given
 * {@code text/html; CHARSET=utf-8} (or a tab before {@code charset}) its writer encodes ISO-8859-1 and it sends
 * {@code text/html;charset=iso-8859-1}, one byte for an é. Tomcat reads either. A stale-while-revalidate refresh ran
 * the servlet into the cache's detached response, which read the charset on both: on Jetty the refreshed entry said
 * {@code text/html;charset=utf-8} over two bytes, where every miss sends the ISO-8859-1 page. Such a refresh is not
 * stored on Jetty (the stale entry stays until a miss replaces it).
 */
class RefreshedEntryReadACharsetJettyDoesNotReadTest {

    static final class Page extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setContentType(request.getParameter("type"));
            response.getWriter().write("caf\u00e9");
        }
    }

    static Stream<Arguments> types() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                "text/html;%20CHARSET=utf-8", "text/html;%09charset=utf-8", "text/plain;%20Charset=UTF-8",
                "text/plain;%20charset=UTF-8").map(type -> Arguments.of(container, type)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("types")
    void refreshedEntryIsThePageTheContainerSends(Container container, String type) {
        MutableClock clock = new MutableClock();
        Page cached = new Page();
        String url = "/cached/page?type=" + type;
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("cached", cached, "/cached/*")
                .servlet("alone", new Page(), "/alone/*"))) {
            HttpResponse<byte[]> alone = app.getBytes("/alone/page?type=" + type);
            HttpResponse<byte[]> miss = app.getBytes(url);
            assertEquals(alone.headers().allValues("Content-Type"), miss.headers().allValues("Content-Type"));
            assertArrayEquals(alone.body(), miss.body());

            clock.advance(Duration.ofSeconds(70));
            // Stored or not, what answers is the page the container sends: the refreshed entry, or the stale one
            // while a refresh that was not stored is tried again (a second one starts once the first has ended).
            Eventually.until(() -> {
                HttpResponse<byte[]> answer = app.getBytes(url);
                assertEquals(alone.headers().allValues("Content-Type"), answer.headers().allValues("Content-Type"),
                        "on " + container);
                assertArrayEquals(alone.body(), answer.body(), "on " + container);
                return cached.calls.get() >= 3 || "0".equals(answer.headers().firstValue("Age").orElse(""));
            }, Duration.ofSeconds(30), () -> "the first refresh never ended");
        }
    }
}
