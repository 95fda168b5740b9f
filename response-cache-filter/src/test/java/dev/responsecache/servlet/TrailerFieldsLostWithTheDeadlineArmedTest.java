package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RawHttp;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * With a {@code staleIfErrorDeadline}, the servlet of an expired entry runs into a response that holds its status and
 * headers in memory until it takes the container's stream or writer, then resets the container's response and makes
 * the servlet's calls again on it. Trailer fields set while it was armed went straight to the container's response,
 * past the response in memory, and that reset dropped them: the client got the page without the trailer fields the
 * servlet alone sends (a servlet that sends them on later calls only, after its first page was stored). The deadline
 * (300 s) never passes here: the servlet itself answers.
 */
class TrailerFieldsLostWithTheDeadlineArmedTest {

    static final class ChecksummedLater extends HttpServlet {
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            response.setContentType("text/plain");
            if (call > 1) {
                response.setTrailerFields(() -> Map.of("x-checksum", "abc"));
            }
            response.getWriter().write("call " + call);
        }
    }

    /** The whole exchange as sent, trailers included, which {@code java.net.http} does not show. */
    private static String exchange(Container.Running app, String path) throws IOException {
        return RawHttp.exchange(app.uri("/").getPort(), "GET " + path + " HTTP/1.1", "TE: trailers");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void theServletsTrailerFieldsReachTheClient(Container container) throws IOException {
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "300")
                .servlet("page", new ChecksummedLater(), "/page/*")
                .servlet("alone", new ChecksummedLater(), "/alone/*"))) {
            exchange(app, "/alone/sum");
            String alone = exchange(app, "/alone/sum");
            assertTrue(alone.contains("\r\nx-checksum: abc\r\n"), "without the cache:\n" + alone);
            String stored = exchange(app, "/page/sum");
            assertTrue(stored.contains("X-Cache: MISS"), stored);

            clock.advance(Duration.ofSeconds(70));
            String armed = exchange(app, "/page/sum");
            assertTrue(armed.contains("call 2"), "the servlet answered:\n" + armed);
            assertTrue(armed.contains("\r\nx-checksum: abc\r\n"), "the trailer the servlet sends, on " + container
                    + ":\n" + armed);
        }
    }
}
