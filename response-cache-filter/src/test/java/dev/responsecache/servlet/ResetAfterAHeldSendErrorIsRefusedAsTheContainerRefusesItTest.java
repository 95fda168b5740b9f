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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code sendError} commits the response: both containers refuse a reset or a buffer reset after it. A 5xx error
 * page that a stale entry may replace (stale-if-error) is held from the container, which had not committed; the
 * servlet's reset after it must still be refused, as alone, and the stale entry answers.
 */
class ResetAfterAHeldSendErrorIsRefusedAsTheContainerRefusesItTest {

    /** Answers a page; once failing, a 503 error page, then tries both resets. */
    static final class ErrorThenResetServlet extends HttpServlet {
        final List<String> resets = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            if (request.getHeader("X-Fail") == null) {
                response.getWriter().write("the page");
                return;
            }
            response.sendError(503);
            resets.add(refused(response::resetBuffer) + " " + refused(response::reset) + " "
                    + response.isCommitted());
        }

        private static String refused(Runnable reset) {
            try {
                reset.run();
                return "allowed";
            } catch (IllegalStateException refused) {
                return "refused";
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void bothResetsAreRefusedAndTheStaleEntryAnswers(Container container) {
        MutableClock clock = new MutableClock();
        ErrorThenResetServlet servlet = new ErrorThenResetServlet();
        ErrorThenResetServlet plain = new ErrorThenResetServlet();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/stale/*", "ttl", "60", "staleIfError", "600")
                .servlet("failing", servlet, "/stale/*")
                .servlet("plain", plain, "/plain/*"))) {
            app.get("/plain/a", "X-Fail", "1");
            assertEquals(200, app.get("/stale/a").statusCode());
            clock.advance(Duration.ofSeconds(61));
            HttpResponse<String> stale = app.get("/stale/a", "X-Fail", "1");
            assertEquals(plain.resets, servlet.resets);
            assertEquals(200, stale.statusCode());
            assertEquals("the page", stale.body());
        }
    }
}
