package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The copy the servlet filter keeps of a body, where the servlet does what the servlet API allows but few do (reset
 * and switch from stream to writer, write after closing, write characters its charset cannot encode), on a real
 * Jetty and a real Tomcat: the client gets what the same servlet sends there without the cache, and a hit sends what
 * the miss sent, or the response is not stored.
 */
class BodyCaptureOnContainersTest {

    /**
     * What the container did with a write after the close, by path: the servlet behind the cache must see the same.
     * Recorded after the close, so possibly after the client has its response.
     */
    private final Map<String, CompletableFuture<String>> afterClose = new ConcurrentHashMap<>();

    /** What both containers answer once the servlet closed its stream or writer. */
    private static final String COMMITTED = "committed, reset refused, sendError refused, sendRedirect refused";

    private String afterClose(String path) {
        try {
            return afterClose.computeIfAbsent(path, any -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(path + " recorded nothing", e);
        }
    }

    private Container.Running start(Container container) {
        return container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/edge/*", "ttl", "60")
                .servlet("edge", new Cases(afterClose), "/edge/*")
                .servlet("plain", new Cases(afterClose), "/plain/*"));
    }

    private static String xCache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void bodyWrittenAgainAfterAResetIsSentOnceAndStoredWhicheverWayEachWasWritten(Container container) {
        try (Container.Running app = start(container)) {
            for (String page : List.of("/reset-stream-to-writer", "/reset-writer-to-stream", "/reset-buffer")) {
                String uncached = app.get("/plain" + page).body();
                assertEquals("the page sent instead", uncached, page);
                assertEquals(uncached, app.get("/edge" + page).body(), page);
                HttpResponse<String> hit = app.get("/edge" + page);
                assertEquals("HIT", xCache(hit), page);
                assertEquals(uncached, hit.body(), page);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void writeAfterTheStreamWasClosedMeetsTheContainersAnswerAndIsNeitherSentNorStored(Container container) {
        try (Container.Running app = start(container)) {
            assertEquals("the page", app.get("/plain/stream-after-close").body());
            assertEquals("the page", app.get("/edge/stream-after-close").body());
            assertEquals(container == Container.JETTY ? "refused" : "ignored", afterClose("/plain/stream-after-close"));
            assertEquals(afterClose("/plain/stream-after-close"), afterClose("/edge/stream-after-close"));
            HttpResponse<String> hit = app.get("/edge/stream-after-close");
            assertEquals("HIT", xCache(hit));
            assertEquals("the page", hit.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void writeAfterTheWriterWasClosedMeetsTheContainersAnswerAndIsNeitherSentNorStored(Container container) {
        try (Container.Running app = start(container)) {
            assertEquals("the page", app.get("/plain/writer-after-close").body());
            assertEquals("the page", app.get("/edge/writer-after-close").body());
            assertEquals(container == Container.JETTY ? "checkError=true" : "checkError=false",
                    afterClose("/plain/writer-after-close"));
            assertEquals(afterClose("/plain/writer-after-close"), afterClose("/edge/writer-after-close"));
            HttpResponse<String> hit = app.get("/edge/writer-after-close");
            assertEquals("HIT", xCache(hit), "the body the servlet closed is whole");
            assertEquals("the page", hit.body());
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void responseClosedByTheServletIsCommittedAsWithoutTheCacheSoLaterHeadersAndErrorsAreIgnored(Container container) {
        try (Container.Running app = start(container)) {
            for (String page : List.of("/headers-after-stream-close", "/headers-after-writer-close")) {
                HttpResponse<String> uncached = app.get("/plain" + page);
                assertEquals(200, uncached.statusCode(), page);
                assertEquals("the page", uncached.body(), page);
                assertEquals("none", uncached.headers().firstValue("X-Late").orElse("none"), page);
                assertEquals(COMMITTED, afterClose("/plain" + page), page);
                for (String expected : List.of("MISS", "HIT")) {
                    HttpResponse<String> cached = app.get("/edge" + page);
                    assertEquals(expected, xCache(cached), page);
                    assertEquals(200, cached.statusCode(), page);
                    assertEquals("the page", cached.body(), page);
                    assertEquals("none", cached.headers().firstValue("X-Late").orElse("none"), page);
                }
                assertEquals(COMMITTED, afterClose("/edge" + page), page);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void charactersTheWritersCharsetCannotEncodeAreSentAsTheContainerSendsThemAndNeverStored(Container container) {
        try (Container.Running app = start(container)) {
            for (String page : List.of("/latin1-emoji", "/utf8-lone-surrogate", "/utf8-ends-in-high-surrogate")) {
                byte[] uncached = app.getBytes("/plain" + page).body();
                HttpResponse<byte[]> miss = app.getBytes("/edge" + page);
                assertArrayEquals(uncached, miss.body(), page);
                assertEquals("ResponseCache; fwd=uri-miss; detail=unmappable",
                        miss.headers().firstValue("Cache-Status").orElse("none"), page);
                HttpResponse<byte[]> again = app.getBytes("/edge" + page);
                assertEquals("MISS", xCache(again), page);
                assertArrayEquals(uncached, again.body(), page);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void utf8WriterWithASurrogatePairSplitAcrossWritesIsStoredAsSent(Container container) {
        try (Container.Running app = start(container)) {
            byte[] uncached = app.getBytes("/plain/utf8-split-pair").body();
            assertEquals("price 10 \u20ac \uD83D\uDE00 ok", new String(uncached, StandardCharsets.UTF_8));
            assertArrayEquals(uncached, app.getBytes("/edge/utf8-split-pair").body());
            HttpResponse<byte[]> hit = app.getBytes("/edge/utf8-split-pair");
            assertEquals("HIT", xCache(hit));
            assertArrayEquals(uncached, hit.body());
        }
    }

    /** One servlet per prefix, the page chosen by the path after it. */
    private static final class Cases extends HttpServlet {

        private final transient Map<String, CompletableFuture<String>> afterClose;

        Cases(Map<String, CompletableFuture<String>> afterClose) {
            this.afterClose = afterClose;
        }

        private void record(String path, String outcome) {
            afterClose.computeIfAbsent(path, any -> new CompletableFuture<>()).complete(outcome);
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getServletPath() + request.getPathInfo();
            switch (request.getPathInfo()) {
                case "/reset-stream-to-writer" -> {
                    response.setContentType("application/octet-stream");
                    response.getOutputStream().write(ascii("half a report"));
                    response.reset();
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("the page sent instead");
                }
                case "/reset-writer-to-stream" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("half a report");
                    response.reset();
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getOutputStream().write(ascii("the page sent instead"));
                }
                case "/reset-buffer" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    PrintWriter writer = response.getWriter();
                    writer.write("half a report");
                    response.resetBuffer();
                    writer.write("the page sent instead");
                }
                case "/stream-after-close" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    ServletOutputStream out = response.getOutputStream();
                    out.write(ascii("the page"));
                    out.close();
                    try {
                        out.write(ascii(" and what came after the close"));
                        record(path, "ignored");
                    } catch (IOException refused) {
                        record(path, "refused");
                    }
                }
                case "/writer-after-close" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    PrintWriter writer = response.getWriter();
                    writer.write("the page");
                    writer.close();
                    writer.write(" and what came after the close");
                    record(path, "checkError=" + writer.checkError());
                }
                case "/headers-after-stream-close", "/headers-after-writer-close" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    if (request.getPathInfo().contains("stream")) {
                        ServletOutputStream out = response.getOutputStream();
                        out.write(ascii("the page"));
                        out.close();
                    } else {
                        PrintWriter writer = response.getWriter();
                        writer.write("the page");
                        writer.close();
                    }
                    // As a filter behind the cache might, once the servlet returned.
                    response.setHeader("X-Late", "set after the close");
                    response.setStatus(HttpServletResponse.SC_CREATED);
                    if (response.isCommitted()) {
                        record(path, "committed" + refusalsAfterCommit(response));
                    } else {
                        record(path, "open");
                        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                    }
                }
                case "/latin1-emoji" -> {
                    response.setContentType("text/plain;charset=ISO-8859-1");
                    response.getWriter().write("price 10 \u20ac \uD83D\uDE00 ok");
                }
                case "/utf8-lone-surrogate" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("half \uD83D of a pair");
                }
                case "/utf8-ends-in-high-surrogate" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write("ends in half a pair \uD83D");
                }
                case "/utf8-split-pair" -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    PrintWriter writer = response.getWriter();
                    writer.write("price 10 \u20ac \uD83D");
                    writer.write("\uDE00 ok");
                }
                default -> response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            }
        }

        /** What the container answers to a reset, an error page and a redirect once the response is committed. */
        private static String refusalsAfterCommit(HttpServletResponse response) throws IOException {
            StringBuilder outcome = new StringBuilder();
            try {
                response.reset();
                outcome.append(", reset done");
            } catch (IllegalStateException refused) {
                outcome.append(", reset refused");
            }
            try {
                response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                outcome.append(", sendError done");
            } catch (IllegalStateException refused) {
                outcome.append(", sendError refused");
            }
            try {
                response.sendRedirect("/elsewhere");
                outcome.append(", sendRedirect done");
            } catch (IllegalStateException refused) {
                outcome.append(", sendRedirect refused");
            }
            return outcome.toString();
        }

        private static byte[] ascii(String text) {
            return text.getBytes(StandardCharsets.US_ASCII);
        }
    }
}
