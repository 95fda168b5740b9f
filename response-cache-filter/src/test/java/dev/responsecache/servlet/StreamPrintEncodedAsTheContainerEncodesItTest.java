package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jetty's output stream prints a {@code String} in the response's charset ({@code print}, {@code println}, and the
 * {@code print} of a char, a number or a line end, which go through them); Tomcat's leaves it to the servlet API, one
 * byte per character, refusing a character past ISO-8859-1. The cache's stream left every print to the servlet API:
 * on Jetty a UTF-8 page printed {@code é} as the single byte {@code E9} on the miss and the hit where Jetty alone sends
 * {@code C3 A9}, and a {@code €} failed the servlet that Jetty alone answers.
 */
class StreamPrintEncodedAsTheContainerEncodesItTest {

    /** Prints {@code ?text=} on the output stream in the way {@code ?call=} names, in the charset {@code ?charset=}. */
    static final class PrintingServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=" + request.getParameter("charset"));
            ServletOutputStream out = response.getOutputStream();
            String repeat = request.getParameter("repeat");
            String text = request.getParameter("text").repeat(repeat == null ? 1 : Integer.parseInt(repeat));
            switch (request.getParameter("call")) {
                case "print" -> out.print(text);
                case "println" -> out.println(text);
                case "chars" -> text.chars().forEach(c -> {
                    try {
                        out.print((char) c);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                default -> throw new IllegalArgumentException();
            }
            out.println();
            response.setHeader("X-Late", "set after the text");
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            doGet(request, response);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                Arguments.of(container, "call=print&charset=UTF-8&text=caf%C3%A9"),
                Arguments.of(container, "call=println&charset=UTF-8&text=caf%C3%A9"),
                Arguments.of(container, "call=chars&charset=UTF-8&text=caf%C3%A9"),
                Arguments.of(container, "call=print&charset=UTF-8&text=10%E2%82%AC"),
                Arguments.of(container, "call=print&charset=ISO-8859-1&text=caf%C3%A9"),
                // 10,000 bytes: Jetty takes a printed line into its 32 KB buffer whole, where a write of as many bytes
                // past its 8 KiB aggregation size commits the response and the late header is ignored.
                Arguments.of(container, "call=println&charset=UTF-8&text=a&repeat=10000"),
                Arguments.of(container, "call=print&charset=UTF-8&text=a&repeat=10000"),
                Arguments.of(container, "call=println&charset=UTF-8&text=a&repeat=40000")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theMissAndTheHitCarryTheBytesTheContainerPrints(Container container, String query) {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("page", new PrintingServlet(), "/cached/*")
                .servlet("plain", new PrintingServlet(), "/plain/*"))) {
            HttpResponse<byte[]> alone = app.getBytes("/plain/a?" + query);
            HttpResponse<byte[]> miss = app.getBytes("/cached/a?" + query);
            HttpResponse<byte[]> hit = app.getBytes("/cached/a?" + query);
            for (HttpResponse<byte[]> cached : List.of(miss, hit)) {
                assertEquals(alone.statusCode(), cached.statusCode());
                if (alone.statusCode() == 200) {
                    assertArrayEquals(alone.body(), cached.body());
                    assertEquals(alone.headers().allValues("X-Late"), cached.headers().allValues("X-Late"));
                }
            }
            if (alone.statusCode() == 200) {
                assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"));
            }
        }
    }

    /** An update's response goes through the cache's own stream too (which evicts before it may be sent). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void anUpdatesResponseCarriesTheBytesTheContainerPrints(Container container, String query) throws Exception {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("page", new PrintingServlet(), "/cached/*")
                .servlet("plain", new PrintingServlet(), "/plain/*"))) {
            HttpResponse<byte[]> alone = post(app, "/plain/a?" + query);
            HttpResponse<byte[]> cached = post(app, "/cached/a?" + query);
            assertEquals(alone.statusCode(), cached.statusCode());
            if (alone.statusCode() == 200) {
                assertArrayEquals(alone.body(), cached.body());
                assertEquals(alone.headers().allValues("X-Late"), cached.headers().allValues("X-Late"));
            }
        }
    }

    private static HttpResponse<byte[]> post(Container.Running app, String pathAndQuery) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri(pathAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A stale-while-revalidate refresh runs the servlet into the cache's stand-in: it prints as the container would. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Container.class)
    void theRefreshedEntryCarriesTheBytesTheContainerPrints(Container container) {
        MutableClock clock = new MutableClock();
        String query = "?call=println&charset=UTF-8&text=caf%C3%A9";
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", new PrintingServlet(), "/cached/*")
                .servlet("plain", new PrintingServlet(), "/plain/*"))) {
            byte[] alone = app.getBytes("/plain/a" + query).body();
            assertArrayEquals(alone, app.getBytes("/cached/a" + query).body());

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.getBytes("/cached/a" + query).headers().firstValue("X-Cache").orElseThrow());
            Eventually.until(() -> app.getBytes("/cached/a" + query).headers().firstValue("Age").orElse("").equals("0"),
                    Duration.ofSeconds(30), () -> "the refreshed entry was never stored");
            assertArrayEquals(alone, app.getBytes("/cached/a" + query).body(), "the refreshed entry");
        }
    }
}
