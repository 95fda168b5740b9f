package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An asynchronous servlet's writer streams, each write's characters encoded into the copy at once: a surrogate pair
 * split across two writes, from a thread of the servlet's own, is stored as the container sent it, and a character of
 * three bytes that crosses the limit leaves nothing stored and the whole body sent.
 */
class AsynchronousWriterSplitCharactersTest {

    private static final String PAGE = "price 10 \u20ac \uD83D\uDE00 ok";

    public static final class SplitServlet extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            boolean crossing = request.getPathInfo().endsWith("crossing");
            AsyncContext async = request.startAsync();
            new Thread(() -> {
                try {
                    HttpServletResponse answer = (HttpServletResponse) async.getResponse();
                    answer.setContentType("text/plain;charset=UTF-8");
                    PrintWriter writer = answer.getWriter();
                    if (crossing) {
                        // 1023 bytes, then a 3-byte character across the 1 KB limit, then more.
                        writer.write("x".repeat(1023));
                        writer.write("\u20ac");
                        writer.write("tail");
                    } else {
                        writer.write("price 10 \u20ac \uD83D");
                        writer.write("\uDE00 ok");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            }, "split-writer").start();
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void splitPairIsStoredAsSentAndCrossingTheLimitStoresNothing(Container container) {
        try (Container.Running app = container.start(new ServletApp()
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "1KB")
                .filter("cache", new ResponseCacheFilter(), "/split/*", "ttl", "60")
                .servlet("split", new SplitServlet(), "/split/*"))) {
            HttpResponse<byte[]> miss = app.getBytes("/split/pair");
            assertArrayEquals(PAGE.getBytes(StandardCharsets.UTF_8), miss.body());
            HttpResponse<byte[]> hit = app.getBytes("/split/pair");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElse("none"));
            assertArrayEquals(PAGE.getBytes(StandardCharsets.UTF_8), hit.body());

            String whole = "x".repeat(1023) + "\u20actail";
            HttpResponse<byte[]> crossing = app.getBytes("/split/crossing");
            assertEquals(whole, new String(crossing.body(), StandardCharsets.UTF_8));
            assertEquals("ResponseCache; fwd=uri-miss; detail=too-large",
                    crossing.headers().firstValue("Cache-Status").orElse("none"));
            HttpResponse<byte[]> again = app.getBytes("/split/crossing");
            assertEquals("MISS", again.headers().firstValue("X-Cache").orElse("none"));
            assertEquals(whole, new String(again.body(), StandardCharsets.UTF_8));
        }
    }
}
