package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.RawHttp;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that sends trailer fields ({@code HttpServletResponse.setTrailerFields}, a checksum computed while it
 * writes, say): the container sends them after the last chunk. An entry holds status, headers and body, not
 * trailers, and a hit is framed by {@code Content-Length}: the hit came without {@code x-checksum: abc}, which the
 * servlet alone sends to every client. Such a response is not stored ({@code Cache-Status: ...; detail=trailers}),
 * on Jetty and Tomcat alike.
 */
class TrailerFieldsDroppedByAHitTest {

    static final class ChecksummedPage extends HttpServlet {
        private final AtomicInteger calls = new AtomicInteger();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.setTrailerFields(() -> Map.of("x-checksum", "abc"));
            response.getWriter().write("checksummed call " + calls.incrementAndGet());
        }
    }

    /** The whole exchange as sent, trailers included, which {@code java.net.http} does not show. */
    private static String exchange(Container.Running app, String path) throws IOException {
        return RawHttp.exchange(app.uri("/").getPort(), "GET " + path + " HTTP/1.1", "TE: trailers");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void everyClientGetsTheTrailerFieldsTheServletSends(Container container) throws IOException {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60")
                .servlet("page", new ChecksummedPage(), "/page/*"))) {
            String miss = exchange(app, "/page/sum");
            assertTrue(miss.contains("\r\nx-checksum: abc\r\n"), miss);
            assertTrue(miss.contains("Cache-Status: ResponseCache; fwd=uri-miss; detail=trailers\r\n"), miss);

            String second = exchange(app, "/page/sum");
            assertTrue(second.contains("\r\nx-checksum: abc\r\n"), "the trailer the servlet sends, on " + container
                    + ":\n" + second);
            assertTrue(second.contains("checksummed call 2"), second);
            assertEquals(-1, second.indexOf("X-Cache: HIT"), second);
        }
    }
}
