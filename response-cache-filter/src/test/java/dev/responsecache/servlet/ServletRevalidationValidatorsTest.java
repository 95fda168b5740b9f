package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A revalidating 304 applies to the stored response only when its validators are the stored ones (RFC 9111 4.3.4):
 * an origin that evaluates {@code If-Modified-Since} alone answers 304 for a changed representation of the same
 * second, with the changed representation's {@code ETag}.
 */
class ServletRevalidationValidatorsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LAST_MODIFIED = "Thu, 01 Jan 2026 00:00:00 GMT";

    private final MutableClock clock = new MutableClock();
    private final DateValidatingServlet servlet = new DateValidatingServlet();
    private Container.Running app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** The store the entries are kept in: the embedded one here, Redis in {@link ServletRevalidationValidatorsRedisIT}. */
    ServletApp withStore(ServletApp app) {
        return app;
    }

    private void start(Container container) {
        app = container.start(withStore(new ServletApp())
                .attribute(ResponseCacheProperties.CLOCK, clock)
                // Far longer than any refresh here: a slow machine never makes a refresh look abandoned.
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/d/*", "ttl", "headers")
                .servlet("dated", servlet, "/d/*"));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void notModifiedWithAnotherEtagNeverFreshensTheOldBody(Container container) {
        start(container);
        assertEquals("body 1", app.get("/d/page").body());
        clock.advance(Duration.ofSeconds(61));
        servlet.version.set(2);

        HttpResponse<String> answer = app.get("/d/page");
        assertEquals(200, answer.statusCode());
        assertEquals("body 2", answer.body(), "the 304 named another representation than the stored one");
        assertEquals("\"v2\"", answer.headers().firstValue("ETag").orElseThrow());
        assertEquals("MISS", answer.headers().firstValue("X-Cache").orElseThrow());
        HttpResponse<String> next = app.get("/d/page");
        assertEquals("body 2", next.body());
        assertEquals("\"v2\"", next.headers().firstValue("ETag").orElseThrow());
        assertEquals("HIT", next.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(3, servlet.calls.get(), "the store, the 304, and the request sent again without conditions");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void backgroundRevalidationAnsweredWithAnotherEtagEvictsTheOldBody(Container container) {
        start(container);
        assertEquals("body 1", app.get("/d/swr").body());
        clock.advance(Duration.ofSeconds(61));
        servlet.version.set(2);
        HttpResponse<String> stale = app.get("/d/swr");
        assertEquals("body 1", stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());

        Eventually.until(() -> {
            HttpResponse<String> answer = app.get("/d/swr");
            String etag = answer.headers().firstValue("ETag").orElseThrow();
            assertEquals(answer.body().equals("body 1") ? "\"v1\"" : "\"v2\"", etag, "the body of another tag");
            return answer.body().equals("body 2");
        }, WAIT, () -> "the old body stayed after a 304 about another representation");
        HttpResponse<String> hit = app.get("/d/swr");
        assertEquals("body 2", hit.body());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
    }

    /** Evaluates {@code If-Modified-Since} only, and sends its current tag with a 304. */
    static final class DateValidatingServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicInteger calls = new AtomicInteger();
        final transient AtomicInteger version = new AtomicInteger(1);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            calls.incrementAndGet();
            response.setHeader("ETag", "\"v" + version.get() + "\"");
            response.setHeader("Last-Modified", LAST_MODIFIED);
            response.setHeader("Cache-Control", request.getRequestURI().endsWith("/swr")
                    ? "max-age=60, stale-while-revalidate=30" : "max-age=60");
            if (LAST_MODIFIED.equals(request.getHeader("If-Modified-Since"))) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                return;
            }
            response.setContentType("text/plain");
            response.getOutputStream().write(("body " + version.get()).getBytes(StandardCharsets.UTF_8));
        }
    }
}
