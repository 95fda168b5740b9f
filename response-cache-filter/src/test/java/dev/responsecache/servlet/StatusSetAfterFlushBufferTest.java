package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code flushBuffer()}, or a flush of the output stream or writer, commits the response: the container sends the status and headers and ignores any set after
 * (a late {@code setStatus(500)}, a timing header, a {@code Vary}), and {@code isCommitted()} is true. The cache defers
 * the flush while it holds the body, so those late calls reached the client on the miss (a 500 with the whole page
 * where the servlet alone answers 200) and a late header was stored for every hit.
 */
class StatusSetAfterFlushBufferTest {

    static final class FlushingServlet extends HttpServlet {
        /** Whether the response counted as committed after the flush, each call. */
        final List<Boolean> committed = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            String page = request.getPathInfo();
            if (page.startsWith("/writer")) {
                response.getWriter().print("the page, café");
            } else {
                response.getOutputStream().write("the page, café".getBytes(StandardCharsets.UTF_8));
            }
            if (page.equals("/writer-flushed")) {
                response.getWriter().flush();
            } else if (page.equals("/stream-flushed")) {
                response.getOutputStream().flush();
            } else {
                response.flushBuffer();
            }
            committed.add(response.isCommitted());
            response.setHeader("X-Late", "set after the flush");
            response.addHeader("Vary", "X-Late");
            if (!response.isCommitted()) {
                response.setStatus(500);
            }
            response.setStatus(503);
        }
    }

    private static void assertAnsweredAsFlushed(HttpResponse<String> response, String what) {
        assertEquals(200, response.statusCode(), what);
        assertEquals("the page, café", response.body(), what);
        assertEquals(List.of(), response.headers().allValues("X-Late"), what + ": a header set after the flush");
        assertTrue(response.headers().allValues("Vary").stream().noneMatch(value -> value.contains("X-Late")),
                what + ": a Vary set after the flush");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void statusAndHeadersSetAfterFlushBufferAreIgnoredOnTheMissAndTheHit(Container container) {
        FlushingServlet servlet = new FlushingServlet();
        FlushingServlet plain = new FlushingServlet();
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("page", servlet, "/cached/*")
                .servlet("plain", plain, "/plain/*"))) {
            for (String page : List.of("/stream", "/writer", "/stream-flushed", "/writer-flushed")) {
                assertAnsweredAsFlushed(app.get("/plain" + page), "alone " + page);
                assertAnsweredAsFlushed(app.get("/cached" + page), "miss " + page);
                HttpResponse<String> hit = app.get("/cached" + page);
                assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"), page);
                assertAnsweredAsFlushed(hit, "hit " + page);
            }
            assertEquals(List.of(true, true, true, true), plain.committed);
            assertEquals(List.of(true, true, true, true), servlet.committed, "committed after the flush, as alone");
        }
    }
}
