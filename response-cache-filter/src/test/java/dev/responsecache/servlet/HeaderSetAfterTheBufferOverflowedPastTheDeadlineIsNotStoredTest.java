package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A servlet that writes more than its response's buffer and then sets a header has a committed response: the container
 * ignores the header on the miss. A servlet still running when its {@code staleIfErrorDeadline} answered the client
 * stale goes on into memory, and its response is stored: there the container's buffer counted nothing, so a header (or
 * a {@code Vary}) set after the page outgrew it was stored and sent on every hit, though no client ever got it from the
 * servlet.
 */
class HeaderSetAfterTheBufferOverflowedPastTheDeadlineIsNotStoredTest {

    static final class LateHeaderServlet extends HttpServlet {
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean gated;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            int call = calls.incrementAndGet();
            if (gated) {
                entered.countDown();
                try {
                    assertTrue(gate.await(30, TimeUnit.SECONDS), "the gate never opened");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            response.setContentType("text/plain;charset=UTF-8");
            response.getOutputStream().write(("page, call " + call + "\n").getBytes(StandardCharsets.UTF_8));
            // More than either container's default buffer (Jetty 32 KB, Tomcat 8 KB).
            response.getOutputStream().write(new byte[64 * 1024]);
            response.setHeader("X-Late", "set after the buffer overflowed");
            response.addHeader("Vary", "X-Late");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aPageLargerThanTheBufferFinishedAfterTheDeadlineAnsweredIsStoredAsTheContainerWouldHaveSentIt(Container container)
            throws Exception {
        MutableClock clock = new MutableClock();
        LateHeaderServlet servlet = new LateHeaderServlet();
        CountDownLatch completed = new CountDownLatch(2);
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("completed", (request, response, chain) -> {
                    chain.doFilter(request, response);
                    completed.countDown();
                }, "/*")
                .filter("cache", new ResponseCacheFilter(), "/c/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "1")
                .servlet("page", servlet, "/c/*"))) {
            HttpResponse<String> miss = app.get("/c/a");
            assertTrue(miss.body().startsWith("page, call 1\n"));
            assertEquals(List.of(), miss.headers().allValues("X-Late"), "the miss: ignored by the container");

            clock.advance(Duration.ofSeconds(61));
            servlet.gated = true;
            HttpResponse<String> stale = app.get("/c/a");
            assertTrue(servlet.entered.await(30, TimeUnit.SECONDS), "the servlet was running");
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
            servlet.gated = false;
            servlet.gate.countDown();
            assertTrue(completed.await(30, TimeUnit.SECONDS), "the late request completed");

            HttpResponse<String> hit = app.get("/c/a");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertTrue(hit.body().startsWith("page, call 2\n"));
            assertEquals(List.of(), hit.headers().allValues("X-Late"), "a header set after the buffer overflowed");
            assertTrue(hit.headers().allValues("Vary").stream().noneMatch(value -> value.contains("X-Late")),
                    "a Vary set after the buffer overflowed: " + hit.headers().allValues("Vary"));
        }
    }
}
