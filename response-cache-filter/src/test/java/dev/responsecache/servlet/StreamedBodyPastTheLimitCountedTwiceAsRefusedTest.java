package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet response whose body grows past {@code max-body-size} without a declared length is counted as refused
 * ({@code too-large}) as its held bytes go out. One that then gives another reason not to store it (a cookie, set while
 * the container still buffers the body) was counted again, with that reason: {@code responsecache.refusals} counts a
 * response once, and {@code Cache-Status} shows the first reason found. Through the stream (a writer's characters are
 * held until they are encoded, so the cookie comes first there, and is the one reason); real Jetty and Tomcat.
 */
class StreamedBodyPastTheLimitCountedTwiceAsRefusedTest {

    private static final int BODY = 2000;

    /** {@value #BODY} bytes in small writes (past the 1 KB limit, within the container's buffer), then a cookie. */
    public static final class OversizeThenCookieServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            byte[] chunk = new byte[100];
            Arrays.fill(chunk, (byte) 'x');
            for (int written = 0; written < BODY; written += chunk.length) {
                response.getOutputStream().write(chunk);
            }
            response.addCookie(new Cookie("late", "1"));
        }
    }

    private static Map<String, Double> refusals(MeterRegistry registry) {
        Map<String, Double> counts = new TreeMap<>();
        for (Counter counter : registry.find("responsecache.refusals").counters()) {
            counts.merge(counter.getId().getTag("reason"), counter.count(), Double::sum);
        }
        return counts;
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void bodyPastTheLimitThenACookieIsCountedOnce(Container container) {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.METER_REGISTRY, registry)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "1KB")
                .filter("cache", new ResponseCacheFilter(), "/big/*", "ttl", "60")
                .servlet("big", new OversizeThenCookieServlet(), "/big/*"))) {
            HttpResponse<String> response = app.get("/big/stream");
            assertEquals(BODY, response.body().length(), container + ": the whole body");
            assertEquals("ResponseCache; fwd=uri-miss; detail=too-large",
                    response.headers().firstValue("Cache-Status").orElse("none"), container + ": the first reason");
            assertEquals(Map.of("too-large", 1.0), refusals(registry), container + ": one refusal for the response");
            assertEquals("MISS", app.get("/big/stream").headers().firstValue("X-Cache").orElse("none"), container + ": not stored");
        }
    }
}
