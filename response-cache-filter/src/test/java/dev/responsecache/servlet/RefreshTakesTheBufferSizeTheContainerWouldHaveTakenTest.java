package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code setBufferSize} never shrinks Tomcat's buffer (a 1 KB request leaves it at 8 KB), and Jetty takes any size
 * from one byte up (0 becomes 1: every write commits). A background refresh's stand-in took the size as asked: on
 * Tomcat a 5 KB page after {@code setBufferSize(1024)} counted as committed there, its late header dropped from the
 * refreshed entry though the miss (and the servlet alone) sent it; on Jetty a size of 0 counted as unknown, and the
 * late header Jetty ignores was stored.
 */
class RefreshTakesTheBufferSizeTheContainerWouldHaveTakenTest {

    static final class ResizedPageServlet extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();
        /** The buffer size and isCommitted() the servlet saw after its page, per call. */
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            response.setBufferSize(Integer.parseInt(request.getParameter("buffer")));
            response.setContentType("text/plain;charset=UTF-8");
            response.getOutputStream().write(("page, call " + call + "\n").getBytes(StandardCharsets.UTF_8));
            response.getOutputStream().write("a".repeat(5000).getBytes(StandardCharsets.UTF_8));
            seen.add(response.getBufferSize() + " " + response.isCommitted());
            response.setHeader("X-Late", "set after the page");
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of(
                Arguments.of(container, 1024), Arguments.of(container, 0), Arguments.of(container, 5000)));
    }

    @ParameterizedTest(name = "{0} buffer={1}")
    @MethodSource("cases")
    void theRefreshedEntryCarriesTheLateHeaderExactlyWhenTheMissDid(Container container, int buffer) {
        MutableClock clock = new MutableClock();
        ResizedPageServlet servlet = new ResizedPageServlet();
        String page = "/c/a?buffer=" + buffer;
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/c/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", servlet, "/c/*"))) {
            HttpResponse<String> miss = app.get(page);
            assertTrue(miss.body().startsWith("page, call 1\n"));

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.get(page).headers().firstValue("X-Cache").orElseThrow());
            Eventually.until(() -> app.get(page).body().startsWith("page, call 2\n"), Duration.ofSeconds(30),
                    () -> "the refresh was never stored");

            HttpResponse<String> hit = app.get(page);
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.headers().allValues("X-Late"), hit.headers().allValues("X-Late"));
            assertEquals(servlet.seen.get(0), servlet.seen.get(1), "the refresh's buffer and commit, as the miss's");
        }
    }
}
