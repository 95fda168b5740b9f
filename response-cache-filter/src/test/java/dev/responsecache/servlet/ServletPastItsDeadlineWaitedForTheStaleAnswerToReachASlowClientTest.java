package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stale answer at a {@code staleIfErrorDeadline} was written whole under the deadline gate's lock (so that one
 * that cannot be written leaves the response to the servlet), and the servlet, going on past its deadline, waited at
 * its first use of the response for that lock: to a client that reads slowly, or not at all, for the whole body. Only
 * the stale answer's status and lines are now written under the lock, and committed; its body follows outside it,
 * while the servlet goes on into memory (it waits for the body only when it is done, before it returns).
 */
class ServletPastItsDeadlineWaitedForTheStaleAnswerToReachASlowClientTest {

    /** Larger than any socket buffer: a client that reads nothing stalls its write. */
    private static final byte[] BODY = new byte[8 << 20];

    static {
        Arrays.fill(BODY, (byte) 'x');
    }

    /** Answers the large body; from its second run on, only once the gate opens, and tells when it is done. */
    static final class Held extends HttpServlet {
        final AtomicInteger runs = new AtomicInteger();
        final CountDownLatch gate = new CountDownLatch(1);
        final CountDownLatch finished = new CountDownLatch(1);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            boolean late = runs.incrementAndGet() > 1;
            if (late) {
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            response.setContentType("application/octet-stream");
            response.getOutputStream().write(BODY);
            if (late) {
                finished.countDown();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void servletGoesOnWhileAClientThatReadsNothingHasTheStaleAnswersLines(Container container) throws Exception {
        MutableClock clock = new MutableClock();
        Held page = new Held();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "64MB")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "1")
                .servlet("page", page, "/page/*"))) {
            assertArrayEquals(BODY, app.getBytes("/page/a").body(), container.toString());
            clock.advance(Duration.ofSeconds(61));

            try (Socket stalled = new Socket()) {
                // A small window that reading nothing never grows: the body's write stalls in the server.
                stalled.setReceiveBufferSize(4096);
                stalled.connect(new java.net.InetSocketAddress("127.0.0.1", app.uri("/").getPort()));
                OutputStream out = stalled.getOutputStream();
                out.write("GET /page/a HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = head(stalled.getInputStream());
                assertTrue(head.startsWith("HTTP/1.1 200"), container + ": " + head);
                assertTrue(head.contains("STALE"), container + ": " + head);

                page.gate.countDown();
                assertTrue(page.finished.await(30, TimeUnit.SECONDS),
                        container + ": the servlet waited for the stale body to reach a client that reads nothing");
                assertEquals(2, page.runs.get(), container.toString());
                // A reset: the stalled write fails at once, and the request ends.
                stalled.setSoLinger(true, 0);
            }
        }
    }

    /** The status line and header lines, read up to the empty line (and perhaps a little of the body). */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[512];
        while (!read.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            read.write(buffer, 0, n);
        }
        String text = read.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end);
    }
}
