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

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The stale answer at a {@code staleIfErrorDeadline} writes its body on the deadline timer's thread, of which there
 * are two for the whole cache. Two clients that read nothing of a large stale body held both until the container gave
 * up on their writes: every other request's deadline waited behind them, and its client with it. Real Jetty and
 * Tomcat; the deadlines' real timer, the third answer waited for with a deadline shorter than a container's write
 * timeout.
 */
class DeadlinesOfOtherRequestsWaitedForStaleBodiesToReachSlowClientsTest {

    /** Larger than any socket buffer: a client that reads nothing stalls its write. */
    private static final byte[] BODY = new byte[8 << 20];

    static {
        Arrays.fill(BODY, (byte) 'x');
    }

    /** Answers the large body for each path; from its second run of a path on, only once the gate opens. */
    static final class Held extends HttpServlet {
        private static final long serialVersionUID = 1L;
        final transient ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        final transient CountDownLatch gate = new CountDownLatch(1);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (runs.computeIfAbsent(request.getRequestURI(), path -> new AtomicInteger()).incrementAndGet() > 1) {
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            response.setContentType("application/octet-stream");
            response.getOutputStream().write(BODY);
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void aThirdRequestGetsItsStaleAnswerWhileTwoClientsReadNothing(Container container) throws Exception {
        MutableClock clock = new MutableClock();
        Held page = new Held();
        List<Socket> stalled = new ArrayList<>();
        try (Container.Running app = container.start(new ServletApp()
                .attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "64MB")
                .filter("cache", new ResponseCacheFilter(), "/page/*", "ttl", "60", "staleIfError", "600",
                        "staleIfErrorDeadline", "1")
                .servlet("page", page, "/page/*"))) {
            for (String path : List.of("/page/a", "/page/b", "/page/c")) {
                assertArrayEquals(BODY, app.getBytes(path).body(), container.toString());
            }
            clock.advance(Duration.ofSeconds(61));
            try {
                for (String path : List.of("/page/a", "/page/b")) {
                    Socket socket = new Socket();
                    stalled.add(socket);
                    socket.setReceiveBufferSize(4096);
                    socket.connect(new InetSocketAddress("127.0.0.1", app.uri("/").getPort()));
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // Its stale answer's lines came: its body's write now stalls.
                    InputStream in = socket.getInputStream();
                    byte[] first = new byte[12];
                    int read = 0;
                    while (read < first.length) {
                        int n = in.read(first, read, first.length - read);
                        assertTrue(n > 0, container + ": no stale answer for " + path);
                        read += n;
                    }
                }
                CompletableFuture<HttpResponse<byte[]>> third = HttpClient.newHttpClient().sendAsync(
                        HttpRequest.newBuilder(app.uri("/page/c")).build(), HttpResponse.BodyHandlers.ofByteArray());
                // Within a container's write timeout (Tomcat's 20 s, Jetty's 30 s idle): not freed by it.
                HttpResponse<byte[]> answer = third.get(10, TimeUnit.SECONDS);
                assertEquals(200, answer.statusCode(), container.toString());
                assertEquals(BODY.length, answer.body().length, container.toString());
            } finally {
                page.gate.countDown();
                for (Socket socket : stalled) {
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
            }
        }
    }
}
