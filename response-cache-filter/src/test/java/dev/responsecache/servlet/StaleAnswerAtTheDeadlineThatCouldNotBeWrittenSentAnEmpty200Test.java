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
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stale answer at a {@code staleIfErrorDeadline} failed in the middle of its header lines (a response wrapper in
 * front refuses {@code Age}): the fault was logged, the servlet went on into memory, and the client got a 200 with an
 * empty body and the entry's {@code ETag}. Now a stale answer that could not be written leaves the response to the
 * servlet, as if no deadline had passed.
 */
class StaleAnswerAtTheDeadlineThatCouldNotBeWrittenSentAnEmpty200Test {

    static final class Held extends HttpServlet {
        final AtomicInteger runs = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("page " + runs.incrementAndGet());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void staleAnswerThatCannotBeWrittenLeavesTheServletsAnswer(Container container) throws Exception {
        MutableClock clock = new MutableClock();
        Held page = new Held();
        CountDownLatch refused = new CountDownLatch(1);
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .filter("no-age", (request, response, chain) -> chain.doFilter(request,
                        new HttpServletResponseWrapper((HttpServletResponse) response) {
                            @Override
                            public void setHeader(String name, String value) {
                                if ("Age".equalsIgnoreCase(name) && page.runs.get() > 0) {
                                    refused.countDown();
                                    throw new IllegalArgumentException("no Age");
                                }
                                super.setHeader(name, value);
                            }
                        }), "/page/*")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "1")
                .servlet("page", page, "/page/*"))) {
            assertEquals("page 1", app.get("/page/a").body());
            clock.advance(Duration.ofSeconds(61));
            page.gate = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> late = CompletableFuture.supplyAsync(() -> app.get("/page/a"));
            assertTrue(refused.await(30, TimeUnit.SECONDS), "the deadline's stale answer was attempted");
            page.gate.countDown();
            HttpResponse<String> answer = late.get(60, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), container.toString());
            assertEquals("page 2", answer.body(), container + ": " + answer.headers().map());
        }
    }
}
