package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code ttl=headers} filter in front of a servlet whose response the header-driven mode refuses for a reason only
 * the headers as a whole tell (no lifetime, {@code Authorization} without {@code public}, too old on arrival) showed
 * a bare {@code Cache-Status: ResponseCache; fwd=uri-miss}, which says the response was stored: the servlet filter
 * showed only the refusals a header sets (no-store, private, a cookie), not those a later header could still lift.
 * They now show while they hold, and a header that lifts one takes it away again.
 */
class HeaderDrivenRefusalsShowedNoDetailTest {

    /**
     * The system clock, which containers date their responses by (Jetty's own {@code Date}): an {@code Expires} an
     * hour away from it is on the side it is, however slowly the test runs.
     */
    private final Clock clock = Clock.systemUTC();
    private final AtomicInteger calls = new AtomicInteger();
    private Container.Running app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private void start(Container container) {
        app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/h/*", "ttl", "headers")
                .servlet("origin", new Origin(), "/h/*"));
    }

    private static String cacheStatus(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void eachRefusalOfTheHeaderDrivenModeShowsItsDetail(Container container) {
        start(container);
        assertRefused("/h/silent", "no-lifetime");
        assertRefused("/h/typed", "no-lifetime");
        assertRefused("/h/expired", "no-lifetime");
        assertRefused("/h/aged", "stale");
        assertRefused("/h/no-validator-no-cache", "no-cache");
        assertRefused("/h/found", "status");
        assertRefused("/h/shared-lifetime", "authorization", "Authorization", "Bearer t");
    }

    private void assertRefused(String path, String detail, String... headers) {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> miss = app.get(path, headers);
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow(), path);
            assertEquals("ResponseCache; fwd=uri-miss; detail=" + detail, cacheStatus(miss), path);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aLifetimeSetAfterTheStatusTakesTheShownReasonAwayAndTheResponseIsStored(Container container) {
        start(container);
        for (String path : new String[] {"/h/late-max-age", "/h/late-expires"}) {
            HttpResponse<String> miss = app.get(path);
            assertEquals("ResponseCache; fwd=uri-miss", cacheStatus(miss), path);
            int before = calls.get();
            HttpResponse<String> hit = app.get(path);
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow(), path + ": " + cacheStatus(hit));
            assertEquals(miss.body(), hit.body());
            assertEquals(before, calls.get());
        }
    }

    private final class Origin extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getPathInfo();
            int n = calls.incrementAndGet();
            switch (path) {
                case "/silent" -> {
                    // Nothing set at all: a body alone.
                }
                case "/typed" -> response.setContentType("text/plain");
                case "/expired" -> response.setDateHeader("Expires",
                        clock.instant().minus(Duration.ofHours(1)).toEpochMilli());
                case "/aged" -> {
                    response.setHeader("Cache-Control", "max-age=10");
                    response.setHeader("Age", "20");
                }
                case "/no-validator-no-cache" -> response.setHeader("Cache-Control", "no-cache");
                case "/found" -> {
                    response.setStatus(HttpServletResponse.SC_FOUND);
                    response.setHeader("Location", "/h/elsewhere");
                }
                case "/shared-lifetime" -> response.setHeader("Cache-Control", "max-age=60");
                case "/late-max-age" -> {
                    response.setStatus(HttpServletResponse.SC_OK);
                    response.setContentType("text/plain");
                    response.setHeader("Cache-Control", "max-age=60");
                }
                case "/late-expires" -> {
                    response.setContentType("text/plain");
                    response.setDateHeader("Expires", clock.instant().plus(Duration.ofHours(1)).toEpochMilli());
                }
                default -> response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            }
            response.getOutputStream().write((path + " " + n).getBytes(StandardCharsets.UTF_8));
        }
    }
}
