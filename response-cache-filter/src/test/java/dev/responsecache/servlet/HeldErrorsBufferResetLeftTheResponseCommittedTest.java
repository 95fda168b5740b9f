package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 5xx that a stale entry may replace (stale-if-error) is held from the container, though the servlet made a write
 * or a flush that would have committed it alone; the servlet may then reset the buffer, which the uncommitted
 * container allows. The capture started its copy over but kept the note that the held body had been flushed or sent
 * at once, so the response still counted as committed with nothing in its buffer: the servlet saw {@code isCommitted()}
 * true, and once it answered 200 instead, the first header it set committed the response, which dropped that header
 * on the miss (and from the stored entry).
 */
class HeldErrorsBufferResetLeftTheResponseCommittedTest {

    /**
     * Answers a page; once failing, a 503 written as asked ({@code how}), then resets the buffer and answers 200 with
     * a late header after all.
     */
    static final class RecoveringServlet extends HttpServlet {
        final List<Boolean> committedAfterReset = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            String how = request.getParameter("how");
            if (request.getHeader("X-Fail") == null) {
                response.getWriter().write("the page");
                return;
            }
            response.setStatus(503);
            switch (how) {
                case "flush" -> {
                    response.getOutputStream().write("backend down".getBytes());
                    response.flushBuffer();
                }
                case "at-once" -> response.getOutputStream().write(new byte[10_000]);
                case "writer-flush" -> {
                    response.getWriter().write("backend down");
                    response.getWriter().flush();
                }
                default -> throw new IllegalArgumentException(how);
            }
            response.resetBuffer();
            committedAfterReset.add(response.isCommitted());
            response.setStatus(200);
            if (how.startsWith("writer")) {
                response.getWriter().write("recovered");
            } else {
                response.getOutputStream().write("recovered".getBytes());
            }
            response.setHeader("X-Late", "set after the reset");
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Container.values()).flatMap(container -> Stream.of("flush", "at-once", "writer-flush")
                .map(how -> Arguments.of(container, how)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void theResetResponseIsUncommittedAndItsLateHeaderReachesTheClient(Container container, String how) {
        MutableClock clock = new MutableClock();
        RecoveringServlet servlet = new RecoveringServlet();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/stale/*", "ttl", "60", "staleIfError", "600")
                .servlet("recovering", servlet, "/stale/*"))) {
            String path = "/stale/a?how=" + how;
            assertEquals(200, app.get(path).statusCode());
            clock.advance(Duration.ofSeconds(61));
            HttpResponse<String> recovered = app.get(path, "X-Fail", "1");
            assertEquals(200, recovered.statusCode());
            assertEquals("recovered", recovered.body());
            assertEquals(List.of("set after the reset"), recovered.headers().allValues("X-Late"));
            assertEquals(List.of(false), servlet.committedAfterReset, "committed with nothing in its buffer");
        }
    }
}
