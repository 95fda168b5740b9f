package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The response's {@code stale-while-revalidate} and {@code stale-if-error} (RFC 5861) in the header-driven mode, with
 * the filter ({@code ttl=headers}) in front of a synchronous servlet that evaluates preconditions itself, on real
 * Jetty and Tomcat: a stale answer at once while one conditional refresh revalidates the entry, no stale answer for
 * {@code must-revalidate}, and the request's own {@code stale-if-error}.
 */
class ServletHeaderStaleDirectivesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();
    private final OriginServlet servlet = new OriginServlet();
    private Container.Running app;

    private void start(Container container) {
        app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                // Far longer than any refresh here: a slow machine never makes a refresh look abandoned.
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/h/*", "ttl", "headers")
                .servlet("origin", servlet, "/h/*"));
    }

    @AfterEach
    void stop() {
        servlet.gate.countDown();
        if (app != null) {
            app.close();
        }
    }

    private boolean hit(String path) {
        return "HIT".equals(app.get(path).headers().firstValue("X-Cache").orElse(""));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staleWhileRevalidateAnswersAtOnceWhileOneConditionalRefreshRevalidatesTheEntry(Container container)
            throws InterruptedException {
        start(container);
        assertEquals("swr 1", app.get("/h/swr").body());
        clock.advance(Duration.ofSeconds(70));
        servlet.blocking.set(true);

        HttpResponse<String> stale = app.get("/h/swr");
        // The client has the whole stale answer while the refresh is still blocked in the servlet.
        assertEquals(200, stale.statusCode());
        assertEquals("swr 1", stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("70", stale.headers().firstValue("Age").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; ttl=-10; detail=revalidating",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        assertTrue(servlet.entered.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the refresh runs");
        HttpResponse<String> meanwhile = app.get("/h/swr");
        assertEquals("STALE", meanwhile.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(2, servlet.calls.get(), "one refresh, not one per stale answer");

        servlet.gate.countDown();
        Eventually.until(() -> hit("/h/swr"), WAIT, () -> "the revalidated entry was never stored");
        HttpResponse<String> revalidated = app.get("/h/swr");
        assertEquals("swr 1", revalidated.body(), "a 304 keeps the stored body");
        assertEquals("2", revalidated.headers().firstValue("X-Validated").orElseThrow(), "the 304's headers");
        assertEquals("0", revalidated.headers().firstValue("Age").orElseThrow());
        assertEquals(List.of("null", "\"v1\""), servlet.conditions, "the refresh was a conditional request");
        assertEquals(2, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aChangedResourceReplacesTheEntryInTheBackground(Container container) {
        start(container);
        app.get("/h/swr");
        clock.advance(Duration.ofSeconds(61));
        servlet.version.set(2);
        HttpResponse<String> stale = app.get("/h/swr");
        assertEquals("swr 1", stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        Eventually.until(() -> hit("/h/swr"), WAIT, () -> "the refreshed entry was never stored");
        assertEquals("swr 2", app.get("/h/swr").body());
        assertEquals(2, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void withoutAValidatorTheRefreshFetchesTheWholeResponse(Container container) {
        start(container);
        assertEquals("plain 1", app.get("/h/plain").body());
        clock.advance(Duration.ofSeconds(61));
        assertEquals("STALE", app.get("/h/plain").headers().firstValue("X-Cache").orElseThrow());
        Eventually.until(() -> hit("/h/plain"), WAIT, () -> "the refreshed entry was never stored");
        assertEquals("plain 2", app.get("/h/plain").body());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void mustRevalidateForbidsTheStaleAnswerAndTheEntryIsRevalidatedFirst(Container container) {
        start(container);
        app.get("/h/strict");
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> revalidated = app.get("/h/strict");
        assertEquals("REVALIDATED", revalidated.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("strict 1", revalidated.body());
        assertEquals(2, servlet.calls.get());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void pastTheStaleWhileRevalidateWindowTheEntryIsRevalidatedFirst(Container container) {
        start(container);
        app.get("/h/swr");
        clock.advance(Duration.ofSeconds(90));
        HttpResponse<String> revalidated = app.get("/h/swr");
        assertEquals("REVALIDATED", revalidated.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("swr 1", revalidated.body());
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void requestStaleIfErrorDirectiveAnswersAFailingServletWithTheStaleEntry(Container container) {
        start(container);
        assertEquals("fails 1", app.get("/h/fails").body());
        clock.advance(Duration.ofSeconds(80));
        servlet.failing.set(true);
        HttpResponse<String> stale = app.get("/h/fails", "Cache-Control", "stale-if-error=30");
        assertEquals(200, stale.statusCode());
        assertEquals("fails 1", stale.body());
        assertEquals("ResponseCache; fwd=stale; fwd-status=500; ttl=-20",
                stale.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals(500, app.get("/h/fails").statusCode(), "without the directive the error goes to the client");
    }

    /**
     * {@code /h/swr}: max-age=60, stale-while-revalidate=30, an ETag it validates itself; {@code /h/strict}: the same
     * with must-revalidate; {@code /h/plain}: no validator; {@code /h/fails}: max-age=60 and an ETag (kept past its
     * freshness for revalidation, so that a request's stale-if-error finds it), throwing when told to.
     */
    static final class OriginServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;
        final transient AtomicInteger calls = new AtomicInteger();
        final transient AtomicInteger version = new AtomicInteger(1);
        final transient AtomicBoolean blocking = new AtomicBoolean();
        final transient AtomicBoolean failing = new AtomicBoolean();
        final transient CountDownLatch entered = new CountDownLatch(1);
        final transient CountDownLatch gate = new CountDownLatch(1);
        final transient List<String> conditions = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response)
                throws IOException, ServletException {
            int n = calls.incrementAndGet();
            if (blocking.get()) {
                entered.countDown();
                try {
                    if (!gate.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            String path = request.getRequestURI();
            if (path.endsWith("/fails")) {
                if (failing.get()) {
                    throw new ServletException("origin down");
                }
                response.setHeader("ETag", "\"f\"");
                write(response, "max-age=60", "fails " + n);
                return;
            }
            if (path.endsWith("/plain")) {
                write(response, "max-age=60, stale-while-revalidate=30", "plain " + n);
                return;
            }
            boolean strict = path.endsWith("/strict");
            String cacheControl = strict ? "max-age=60, stale-while-revalidate=30, must-revalidate"
                    : "max-age=60, stale-while-revalidate=30";
            conditions.add(String.valueOf(request.getHeader("If-None-Match")));
            String etag = "\"v" + version.get() + "\"";
            response.setHeader("ETag", etag);
            if (etag.equals(request.getHeader("If-None-Match"))) {
                response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
                response.setHeader("Cache-Control", cacheControl);
                response.setHeader("X-Validated", Integer.toString(n));
                return;
            }
            write(response, cacheControl, (strict ? "strict " : "swr ") + version.get());
        }

        private static void write(HttpServletResponse response, String cacheControl, String body)
                throws IOException {
            response.setHeader("Cache-Control", cacheControl);
            response.setContentType("text/plain");
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
