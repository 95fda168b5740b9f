package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.CacheLoggerAtInfo;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.LineRefusingFilter;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The servlet answered a 5xx, a stale entry within stale-if-error was to answer instead, and a response wrapper in
 * front refused one of its lines ({@code Age}): the client got the servlet's own 503, but the log said "serving the
 * stale entry (stale-if-error) until it answers again", as if the outage were hidden from clients. The outage is now
 * logged as it turned out, once per episode: the stale entry could not be written and the application's own answer
 * went out; and, when the method answers again, without "no longer serving it stale".
 */
@ExtendWith(CacheLoggerAtInfo.class)
class RefusedStaleAnswerWasLoggedAsServedTest {

    /** Answers 200, or 503 while failing. */
    static final class Backend extends HttpServlet {
        volatile boolean failing;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            if (failing) {
                response.setStatus(503);
                response.getWriter().write("backend down");
            } else {
                response.getWriter().write("page");
            }
        }
    }

    private static List<String> outageLines(LogCapture log) {
        return log.messagesAtLeast(Level.INFO).stream().filter(line -> line.startsWith("GET /page/a ")).toList();
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void outageIsLoggedAsTheApplicationsOwnAnswerOncePerEpisode(Container container) {
        MutableClock clock = new MutableClock();
        Backend backend = new Backend();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("no-age", new LineRefusingFilter("Age"), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600")
                .servlet("page", backend, "/page/*"));
             LogCapture log = LogCapture.of("dev.responsecache")) {
            assertEquals("page", app.get("/page/a").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));
            backend.failing = true;

            assertEquals(503, app.get("/page/a").statusCode(), container.toString());
            assertEquals(503, app.get("/page/a").statusCode(), container.toString());
            assertEquals(List.of("GET /page/a answered 503; its stale entry (stale-if-error) could not be written, so"
                    + " the application's own answer went to the client"), outageLines(log), container.toString());

            backend.failing = false;
            assertEquals("page", app.get("/page/a").body(), container.toString());
            assertEquals("GET /page/a answers again", outageLines(log).get(outageLines(log).size() - 1),
                    container.toString());
        }
    }
}
