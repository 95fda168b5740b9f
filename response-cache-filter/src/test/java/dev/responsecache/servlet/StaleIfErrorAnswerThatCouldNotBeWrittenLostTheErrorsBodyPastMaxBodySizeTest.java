package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The servlet answered a 5xx whose body was longer than {@code max-body-size} (yet within the container's buffer, so
 * nothing was sent), a stale entry within stale-if-error could have replaced it, and the stale answer could not be
 * written (a response wrapper in front refuses {@code Age}). The cache had let go of the body past
 * {@code max-body-size}, and the reset for the stale answer discarded what the container held of it: the client got
 * the container's error page for the status, not the servlet's own answer. A 5xx that a stale entry may still replace
 * is now held up to the container's buffer, past {@code max-body-size}, so the servlet's own body goes out whole.
 */
class StaleIfErrorAnswerThatCouldNotBeWrittenLostTheErrorsBodyPastMaxBodySizeTest {

    /** A body longer than the 100-byte limit below, far shorter than either container's buffer. */
    private static final String ERROR_BODY = "backend down ".repeat(40);

    /** Answers 200, or, once failing, 503 with its own long body, through its writer or its stream. */
    static final class Backend extends HttpServlet {
        volatile boolean failing;
        final boolean stream;

        Backend(boolean stream) {
            this.stream = stream;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            if (!failing) {
                response.getWriter().write("page");
                return;
            }
            response.setStatus(503);
            response.setHeader("Retry-After", "120");
            if (stream) {
                response.getOutputStream().write(ERROR_BODY.getBytes(StandardCharsets.UTF_8));
            } else {
                response.getWriter().write(ERROR_BODY);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletsOwnLongErrorGoesToTheClientWholeFromItsWriter(Container container) {
        assertOwnErrorWhole(container, new Backend(false));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletsOwnLongErrorGoesToTheClientWholeFromItsStream(Container container) {
        assertOwnErrorWhole(container, new Backend(true));
    }

    private static void assertOwnErrorWhole(Container container, Backend backend) {
        MutableClock clock = new MutableClock();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "100")
                .filter("no-age", new LineRefusingFilter("Age"), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600")
                .servlet("page", backend, "/page/*"))) {
            assertEquals("page", app.get("/page/a").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));
            backend.failing = true;

            HttpResponse<String> failed = app.get("/page/a");
            assertEquals(503, failed.statusCode(), container + ": " + failed.body());
            assertEquals(ERROR_BODY, failed.body(), container.toString());
            assertEquals("120", failed.headers().firstValue("Retry-After").orElse(null), container.toString());
        }
    }
}
