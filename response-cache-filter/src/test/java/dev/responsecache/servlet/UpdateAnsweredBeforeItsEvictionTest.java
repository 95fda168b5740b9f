package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/INVALIDATION.md: a PUT answered 2xx evicts its path, so a client that got the answer reads the update. The
 * servlet filter evicted only once the servlet returned, but the container sends a response as soon as it is
 * committed: a servlet that flushed its answer, or wrote the body to its declared length, and then went on (an audit
 * write, a notification) left every client reading the old entry after the 200. Each servlet here holds its thread
 * after answering until the test has read the page again, from another connection.
 */
class UpdateAnsweredBeforeItsEvictionTest {

    private final AtomicInteger price = new AtomicInteger(10);
    private final CountDownLatch pageReadAgain = new CountDownLatch(1);
    private final HttpClient updater = HttpClient.newHttpClient();
    private final HttpClient reader = HttpClient.newHttpClient();

    private final class PriceServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("price " + price.get());
        }

        @Override
        protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
            price.incrementAndGet();
            response.setContentType("text/plain;charset=UTF-8");
            String how = request.getParameter("how");
            if ("at-once".equals(how)) {
                // No length, and less than Jetty's 32 KB buffer: Jetty sends a write past 8 KiB at once.
                response.getOutputStream().write(new byte[10_000]);
            } else if ("writer".equals(how)) {
                // A declared length: a chunked body reaches the client whole only when the servlet returns.
                response.setContentLength(5);
                response.getWriter().print("saved");
                response.getWriter().flush();
            } else {
                byte[] saved = "saved".getBytes(StandardCharsets.UTF_8);
                response.setContentLength(saved.length);
                response.getOutputStream().write(saved);
                if ("flush".equals(how)) {
                    response.flushBuffer();
                }
            }
            // Bounded, and never failing here: the servlet returns normally either way; the test asserts the read.
            try {
                pageReadAgain.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Container.Running start(Container container) {
        return container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/prices/*", "ttl", "600")
                .servlet("prices", new PriceServlet(), "/prices/*"));
    }

    private void readsTheUpdateOnceAnswered(Container container, String how) throws Exception {
        try (Container.Running app = start(container)) {
            assertEquals("price 10", app.get("/prices/1").body());
            assertEquals("HIT", app.get("/prices/1").headers().firstValue("X-Cache").orElseThrow());
            HttpResponse<String> put = updater.send(HttpRequest.newBuilder(app.uri("/prices/1?how=" + how))
                    .timeout(Duration.ofSeconds(20)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode());
            assertEquals("saved", put.body());
            // The servlet is still running: the PUT's connection would serve a next request only after it.
            String after;
            try {
                after = reader.send(HttpRequest.newBuilder(app.uri("/prices/1")).timeout(Duration.ofSeconds(20))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            } finally {
                pageReadAgain.countDown();
            }
            assertEquals("price 11", after);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aFlushedAnswerEvictsBeforeItIsSent(Container container) throws Exception {
        readsTheUpdateOnceAnswered(container, "flush");
    }

    /** Jetty sends a body written to its declared length at once; Tomcat holds it until a flush or the return. */
    @ParameterizedTest
    @EnumSource(value = Container.class, names = "JETTY")
    void aBodyWrittenToItsLengthEvictsBeforeItIsSent(Container container) throws Exception {
        readsTheUpdateOnceAnswered(container, "length");
    }

    /**
     * Jetty sends a single write longer than its output aggregation size at once, with the status line, though its
     * buffer has room for it (Tomcat's 8 KB buffer overflows): a client had the 200 of an update whose eviction had
     * not run. Read as far as the status, since the servlet ends the body only when it returns.
     */
    @ParameterizedTest
    @EnumSource(Container.class)
    void aWriteTheContainerSendsAtOnceEvictsBeforeItIsSent(Container container) throws Exception {
        try (Container.Running app = start(container)) {
            assertEquals("price 10", app.get("/prices/1").body());
            assertEquals("HIT", app.get("/prices/1").headers().firstValue("X-Cache").orElseThrow());
            String after;
            try {
                HttpResponse<InputStream> put = updater.send(HttpRequest.newBuilder(app.uri("/prices/1?how=at-once"))
                        .timeout(Duration.ofSeconds(20)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, put.statusCode());
                after = reader.send(HttpRequest.newBuilder(app.uri("/prices/1")).timeout(Duration.ofSeconds(20))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                put.body().close();
            } finally {
                pageReadAgain.countDown();
            }
            assertEquals("price 11", after);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aFlushedWriterEvictsBeforeItIsSent(Container container) throws Exception {
        readsTheUpdateOnceAnswered(container, "writer");
    }
}
