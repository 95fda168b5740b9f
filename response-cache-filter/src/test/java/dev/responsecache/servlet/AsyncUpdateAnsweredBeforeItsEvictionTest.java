package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * docs/INVALIDATION.md: a PUT answered 2xx evicts its path before the container may send the answer. An asynchronous
 * servlet writes through {@code AsyncContext.getResponse()}, which after {@code startAsync()} is the container's own
 * response on Jetty and Tomcat: a flushed answer reached the client with the old page still stored, and an answer
 * sent at {@code complete()} reached it before the completion evicted. Each servlet here holds the request open after
 * answering (before completing, or in its own {@code onComplete}) until the test has read the page again.
 */
class AsyncUpdateAnsweredBeforeItsEvictionTest {

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
        protected void doPut(HttpServletRequest request, HttpServletResponse response) {
            String how = request.getParameter("how");
            AsyncContext async = request.getParameter("own") != null ? request.startAsync(request, response)
                    : request.startAsync();
            if ("timeout".equals(how)) {
                // Not 1 ms: see AsyncReportServlet.ABANDONED_TIMEOUT_MILLIS.
                async.setTimeout(AsyncReportServlet.ABANDONED_TIMEOUT_MILLIS);
                async.addListener(new AnswerOnTimeout());
                return;
            }
            if ("complete".equals(how)) {
                // The container sends the answer at complete() and only then tells the listeners.
                async.addListener(new HoldOnComplete());
            }
            async.start(() -> {
                try {
                    price.incrementAndGet();
                    HttpServletResponse out = (HttpServletResponse) async.getResponse();
                    out.setContentType("text/plain;charset=UTF-8");
                    byte[] saved = "saved".getBytes(StandardCharsets.UTF_8);
                    if ("flush".equals(how)) {
                        out.setContentLength(saved.length);
                        out.getOutputStream().write(saved);
                        out.flushBuffer();
                        awaitPageReadAgain();
                    } else {
                        // No declared length: nothing but complete() lets the container send it.
                        out.getOutputStream().write(saved);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    async.complete();
                }
            });
        }
    }

    /** Updates and answers 200 when the cycle times out, completing the context its event names. */
    private final class AnswerOnTimeout implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            price.incrementAndGet();
            HttpServletResponse out = (HttpServletResponse) event.getAsyncContext().getResponse();
            out.setStatus(200);
            out.setContentType("text/plain;charset=UTF-8");
            out.getOutputStream().write("saved".getBytes(StandardCharsets.UTF_8));
            event.getAsyncContext().complete();
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    private final class HoldOnComplete implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            awaitPageReadAgain();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }

    /** Bounded, and never failing here: the test asserts the read. */
    private void awaitPageReadAgain() {
        try {
            pageReadAgain.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readsTheUpdateOnceAnswered(Container container, String query) throws Exception {
        try (Container.Running app = container.start(new ServletApp()
                .filter("cache", new ResponseCacheFilter(), "/prices/*", "ttl", "600")
                .servlet("prices", new PriceServlet(), "/prices/*"))) {
            assertEquals("price 10", app.get("/prices/1").body());
            assertEquals("HIT", app.get("/prices/1").headers().firstValue("X-Cache").orElseThrow());
            HttpResponse<String> put;
            String after;
            try {
                put = updater.send(HttpRequest.newBuilder(app.uri("/prices/1?" + query))
                        .timeout(Duration.ofSeconds(20)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                // The request is still open: the PUT's connection would serve a next request only after it.
                after = reader.send(HttpRequest.newBuilder(app.uri("/prices/1")).timeout(Duration.ofSeconds(20))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
            } finally {
                pageReadAgain.countDown();
            }
            assertEquals(200, put.statusCode());
            assertEquals("saved", put.body());
            assertEquals("price 11", after);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aFlushThroughTheAsyncContextsResponseEvictsBeforeItIsSent(Container container) throws Exception {
        readsTheUpdateOnceAnswered(container, "how=flush");
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aFlushThroughTheResponseGivenToStartAsyncEvictsBeforeItIsSent(Container container) throws Exception {
        readsTheUpdateOnceAnswered(container, "how=flush&own");
    }

    /** Tomcat tells the listeners before it sends the answer: holding in onComplete would hold the answer. */
    @ParameterizedTest
    @EnumSource(value = Container.class, names = "JETTY")
    void anAnswerSentAtCompleteEvictsBeforeItIsSent(Container container) throws Exception {
        readsTheUpdateOnceAnswered(container, "how=complete");
    }

    @ParameterizedTest
    @EnumSource(value = Container.class, names = "JETTY")
    void anAnswerGivenToStartAsyncAndSentAtCompleteEvictsBeforeItIsSent(Container container) throws Exception {
        readsTheUpdateOnceAnswered(container, "how=complete&own");
    }

    /** The completion, after a timeout, evicted nothing: the listener's 200 left the old page stored for good. */
    @ParameterizedTest
    @EnumSource(Container.class)
    void anAnswerCompletedByAListenerOnTimeoutEvictsBeforeItIsSent(Container container) throws Exception {
        readsTheUpdateOnceAnswered(container, "how=timeout");
    }
}
