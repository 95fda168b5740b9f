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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that declares its Content-Length and writes that many bytes has a committed response: the container sends
 * it with the last byte and ignores a status or header set afterwards (an interceptor's late {@code setStatus(500)},
 * a timing header). The cache held the body back, so those late calls reached the client on the miss and were stored
 * for every hit: a 500 with the whole page where the servlet alone answers 200. A background refresh stored them too.
 * Whether the body commits the response is the container's to decide: Tomcat counts a character written to the
 * writer as one byte of the length until it is flushed, so there a multi-byte text unflushed does not commit it, and
 * the late status is sent; the cached response is what each container alone sends.
 */
class StatusSetAfterDeclaredLengthWrittenTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Multi-byte in UTF-8: Tomcat counts a character as a byte until its writer is flushed. */
    private static String body(String page, int call) {
        return "the whole page, café, " + page + " " + call;
    }

    /** Writes the declared length, then sets what the container must ignore; {@code /writer} writes characters. */
    static final class LateCallsServlet extends HttpServlet {

        private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        /** Whether the response counted as committed after the write, each call. */
        final List<Boolean> committed = new java.util.concurrent.CopyOnWriteArrayList<>();

        int calls(String page) {
            return calls.computeIfAbsent(page, any -> new AtomicInteger()).get();
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String page = request.getPathInfo();
            int call = calls.computeIfAbsent(page, any -> new AtomicInteger()).incrementAndGet();
            response.setContentType("text/plain;charset=UTF-8");
            String body = body(page, call);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (page.equals("/writer")) {
                response.setHeader("Content-Length", Integer.toString(bytes.length));
                response.getWriter().print(body);
                response.getWriter().flush();
            } else if (page.equals("/unflushed")) {
                response.getWriter().print(body);
                response.setContentLength(bytes.length);
            } else {
                response.setContentLength(bytes.length);
                response.getOutputStream().write(bytes);
            }
            committed.add(response.isCommitted());
            response.setStatus(500);
            response.setHeader("X-Late", "set after the body");
            response.setHeader("Vary", "X-Late");
        }
    }

    private static void assertAnsweredAsWritten(HttpResponse<String> response, String page, int call) {
        assertEquals(200, response.statusCode(), page);
        assertEquals(body(page, call), response.body());
        assertTrue(response.headers().firstValue("X-Late").isEmpty(), "a header set after the body went out");
        assertTrue(response.headers().allValues("Vary").stream().noneMatch(value -> value.contains("X-Late")),
                "a Vary set after the body went out");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void statusAndHeadersSetAfterTheDeclaredLengthAreIgnoredOnTheMissTheHitAndTheRefresh(Container container) {
        MutableClock clock = new MutableClock();
        LateCallsServlet servlet = new LateCallsServlet();
        LateCallsServlet plain = new LateCallsServlet();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", servlet, "/cached/*")
                .servlet("plain", plain, "/plain/*"))) {
            for (String page : List.of("/stream", "/writer")) {
                assertAnsweredAsWritten(app.get("/plain" + page), page, 1);

                assertAnsweredAsWritten(app.get("/cached" + page), page, 1);
                HttpResponse<String> hit = app.get("/cached" + page);
                assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"), page);
                assertAnsweredAsWritten(hit, page, 1);
                assertEquals(1, servlet.calls(page), page);

                clock.advance(Duration.ofSeconds(70));
                assertEquals("STALE", app.get("/cached" + page).headers().firstValue("X-Cache").orElse("none"));
                Eventually.until(() -> body(page, 2).equals(app.get("/cached" + page).body()), WAIT,
                        () -> page + ": the refresh was never stored");
                HttpResponse<String> refreshed = app.get("/cached" + page);
                assertEquals("HIT", refreshed.headers().firstValue("X-Cache").orElse("none"), page);
                assertAnsweredAsWritten(refreshed, page, 2);
            }
            assertEquals(List.of(true, true), plain.committed);
            assertEquals(List.of(true, true, true, true), servlet.committed, "the miss and the refresh, each page");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void unflushedMultiByteTextAtTheDeclaredLengthIsAnsweredAsTheContainerAloneAnswersIt(Container container) {
        LateCallsServlet servlet = new LateCallsServlet();
        LateCallsServlet plain = new LateCallsServlet();
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("page", servlet, "/cached/*")
                .servlet("plain", plain, "/plain/*"))) {
            HttpResponse<String> alone = app.get("/plain/unflushed");
            HttpResponse<String> miss = app.get("/cached/unflushed");
            HttpResponse<String> next = app.get("/cached/unflushed");
            for (HttpResponse<String> cached : List.of(miss, next)) {
                assertEquals(alone.statusCode(), cached.statusCode());
                assertEquals(alone.body().replace(" 1", ""), cached.body().replaceAll(" [12]$", ""));
                assertEquals(alone.headers().firstValue("X-Late"), cached.headers().firstValue("X-Late"));
            }
            assertEquals(plain.committed, servlet.committed.subList(0, 1), "committed after the write, as alone");
        }
    }
}
