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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that writes more than its response's buffer and then sets a header has a committed response: the container
 * ignores the header on the miss. A background refresh (stale-while-revalidate) runs the servlet into a response of the
 * cache's own, which had no buffer size: nothing counted the page as outgrowing it, so a header (or a {@code Vary}) set
 * after it was stored by the refresh and sent on every hit, though no client ever got it from the servlet.
 */
class HeaderSetAfterTheBufferOverflowedInARefreshIsNotStoredTest {

    static final class LateHeaderServlet extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();
        /** The buffer size and isCommitted() the servlet saw once its page outgrew the buffer, per call. */
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            response.setContentType("text/plain;charset=UTF-8");
            response.getOutputStream().write(("page, call " + call + "\n").getBytes(StandardCharsets.UTF_8));
            byte[] line = "a line of the page\n".getBytes(StandardCharsets.UTF_8);
            for (int written = 0; written <= 2 * response.getBufferSize(); written += line.length) {
                response.getOutputStream().write(line);
            }
            seen.add(response.getBufferSize() + " " + response.isCommitted());
            response.setHeader("X-Late", "set after the buffer overflowed");
            response.addHeader("Vary", "X-Late");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aRefreshedPageLargerThanTheBufferIsStoredAsTheContainerWouldHaveSentIt(Container container) {
        MutableClock clock = new MutableClock();
        LateHeaderServlet servlet = new LateHeaderServlet();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s")
                .filter("cache", new ResponseCacheFilter(), "/c/*", "ttl", "60", "staleWhileRevalidate", "30")
                .servlet("page", servlet, "/c/*"))) {
            HttpResponse<String> miss = app.get("/c/a");
            assertTrue(miss.body().startsWith("page, call 1\n"));
            assertEquals(List.of(), miss.headers().allValues("X-Late"), "the miss: ignored by the container");

            clock.advance(Duration.ofSeconds(70));
            assertEquals("STALE", app.get("/c/a").headers().firstValue("X-Cache").orElseThrow());
            Eventually.until(() -> app.get("/c/a").body().startsWith("page, call 2\n"), Duration.ofSeconds(30),
                    () -> "the refresh was never stored");

            HttpResponse<String> hit = app.get("/c/a");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertTrue(hit.body().startsWith("page, call 2\n"));
            assertEquals(List.of(), hit.headers().allValues("X-Late"), "a header set after the buffer overflowed");
            assertTrue(hit.headers().allValues("Vary").stream().noneMatch(value -> value.contains("X-Late")),
                    "a Vary set after the buffer overflowed: " + hit.headers().allValues("Vary"));
            assertEquals(servlet.seen.get(0), servlet.seen.get(1), "the refresh's buffer and commit, as the miss's");
        }
    }
}
