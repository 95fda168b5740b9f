package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.HangingUpClient;
import dev.responsecache.testing.TestServer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The copy kept for the cache is optional: when it cannot be kept the client still gets every byte, and when the
 * client did not get every byte nothing is stored: for bodies written to the writer, and for asynchronous servlets.
 * The same for bodies written to the output stream, by either adapter, is in the contract suite ({@code
 * ParityContract}).
 */
class CaptureFailureTest {

    private static final int LARGE = 900 * 1024;
    private static final int CHUNK = 8 * 1024;
    private static final int COPY_MEMORY = 16 * 1024;
    /** Larger than any socket buffer, so that the client really hangs up in the middle of it. */
    private static final int WHOLE = 8 << 20;

    private final Bodies streamed = new Bodies(false);
    private final Bodies written = new Bodies(true);
    private TestServer server;
    private TestServer scarce;

    @BeforeEach
    void start() {
        server = start(byte[]::new);
        scarce = start(size -> {
            if (size > COPY_MEMORY) {
                throw new OutOfMemoryError("Java heap space (no room for a copy of " + size + " bytes)");
            }
            return new byte[size];
        });
    }

    private TestServer start(IntFunction<byte[]> copyMemory) {
        TestServer started = TestServer.servlets();
        started.context().setInitParameter(ResponseCacheProperties.MAX_BODY_SIZE, "64MB");
        started.context().setAttribute("dev.responsecache.core.copy-buffers", copyMemory);
        FilterHolder cache = new FilterHolder(new ResponseCacheFilter());
        cache.setInitParameter("ttl", "60");
        cache.setAsyncSupported(true);
        started.context().addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder stream = new ServletHolder(streamed);
        stream.setAsyncSupported(true);
        started.context().addServlet(stream, "/stream/*");
        ServletHolder writer = new ServletHolder(written);
        writer.setAsyncSupported(true);
        started.context().addServlet(writer, "/writer/*");
        return started.start();
    }

    @AfterEach
    void stop() {
        server.close();
        scarce.close();
    }

    @Test
    void copyOfABodyWrittenAsTextThatRunsOutOfMemoryNeverCutsTheResponse() {
        HttpResponse<byte[]> first = scarce.get("/writer/large");
        HttpResponse<byte[]> second = scarce.get("/writer/large");
        assertEquals(200, first.statusCode());
        assertArrayEquals(body(LARGE), first.body());
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(body(LARGE), second.body());
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElseThrow(), "nothing was kept");
    }

    /**
     * A synchronous servlet's body is stored before it is delivered, so a client that hangs up mid-body can never
     * leave a truncated entry: the next visitor gets the whole body. (Bodies written to the output stream, by both
     * adapters, are in the contract suite.)
     */
    @Test
    void clientThatHangsUpMidBodyWrittenAsTextNeverLeavesATruncatedEntry() {
        HangingUpClient.getAndHangUp(server, "/writer/whole", CHUNK);
        HttpResponse<byte[]> second = server.get("/writer/whole");
        assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(body(WHOLE), second.body());
    }

    /**
     * The first request for a cold key whose client reads nothing: its response is stored before it is sent, so a
     * request coalesced behind it is answered from the entry instead of waiting for a transfer that never ends.
     */
    @Test
    void clientThatDoesNotReadABodyWrittenAsTextHoldsUpNoRequestWaitingForItsResponse() throws Exception {
        Socket stalled = HangingUpClient.getWithoutReading(server, "/writer/stall");
        try {
            HangingUpClient.await(() -> written.stallCalls.get() == 1, "the first request ran the servlet");
            HttpResponse<byte[]> second = server.get("/writer/stall");
            assertEquals("HIT", second.headers().firstValue("X-Cache").orElseThrow());
            assertArrayEquals(body(WHOLE), second.body());
            assertEquals(1, written.stallCalls.get());
        } finally {
            stalled.close();
        }
    }

    /** An asynchronous servlet's body streams to the client as it is written: a failed write drops the copy. */
    @Test
    void asyncStreamedBodyWhoseClientHungUpIsNeverStoredEvenWhenTheServletSwallowsTheError() throws Exception {
        assertNothingStoredAfterHangUp(streamed, "/stream/hang-up");
    }

    @Test
    void asyncWrittenBodyOfAServletThatStopsOnCheckErrorIsNeverStoredAfterTheClientHungUp() throws Exception {
        assertNothingStoredAfterHangUp(written, "/writer/hang-up");
    }

    /**
     * A servlet that never asks about errors closes its writer once done: Jetty's writer reports the failed write to
     * {@code checkError()} from then on, as it reports any use after its close, and the copy was kept as if whole.
     */
    @Test
    void asyncWrittenBodyClosedAfterTheClientHungUpIsNeverStored() throws Exception {
        assertNothingStoredAfterHangUp(written, "/writer/hang-up-then-close");
    }

    private void assertNothingStoredAfterHangUp(Bodies servlet, String path) throws InterruptedException {
        HangingUpClient.getAndHangUp(server, path, CHUNK);
        servlet.clientGone.countDown();
        assertTrue(servlet.failedWrite.await(60, TimeUnit.SECONDS), "the write to the gone client never failed");

        // Coalesced behind the first request until it stores or gives up: it must give up and store nothing.
        HttpResponse<byte[]> second = server.get(path);
        assertEquals("MISS", second.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(body(4 * CHUNK), second.body());
        HttpResponse<byte[]> third = server.get(path);
        assertEquals("HIT", third.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(body(4 * CHUNK), third.body());
        assertEquals(2, servlet.hangUpCalls.get());
    }

    static byte[] body(int length) {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }

    /** Writes bodies to the output stream, or as text to the writer. */
    private static final class Bodies extends HttpServlet {

        private static final long serialVersionUID = 1L;

        final transient CountDownLatch clientGone = new CountDownLatch(1);
        final transient CountDownLatch failedWrite = new CountDownLatch(1);
        final AtomicInteger hangUpCalls = new AtomicInteger();
        final AtomicInteger stallCalls = new AtomicInteger();
        private final boolean text;

        Bodies(boolean text) {
            this.text = text;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType(text ? "text/plain;charset=US-ASCII" : "application/octet-stream");
            switch (request.getPathInfo()) {
                case "/large" -> writeInChunks(response, body(LARGE));
                case "/small" -> writeInChunks(response, body(1000));
                case "/whole" -> writeInChunks(response, body(WHOLE));
                case "/stall" -> {
                    stallCalls.incrementAndGet();
                    writeInChunks(response, body(WHOLE));
                }
                case "/hang-up", "/hang-up-then-close" -> {
                    AsyncContext async = request.startAsync();
                    async.start(() -> {
                        try {
                            hangUp((HttpServletResponse) async.getResponse(),
                                    request.getPathInfo().endsWith("close"));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } finally {
                            async.complete();
                        }
                    });
                }
                default -> response.setStatus(404);
            }
        }

        private void writeInChunks(HttpServletResponse response, byte[] body) throws IOException {
            if (text) {
                PrintWriter writer = response.getWriter();
                String chars = new String(body, StandardCharsets.US_ASCII);
                for (int offset = 0; offset < body.length; offset += CHUNK) {
                    writer.write(chars, offset, Math.min(CHUNK, body.length - offset));
                }
            } else {
                OutputStream out = response.getOutputStream();
                for (int offset = 0; offset < body.length; offset += CHUNK) {
                    out.write(body, offset, Math.min(CHUNK, body.length - offset));
                }
            }
        }

        /** The first call streams to a client that hangs up: it carries on (stream) or stops quietly (writer). */
        private void hangUp(HttpServletResponse response, boolean closeWithoutAsking) throws IOException {
            int call = hangUpCalls.incrementAndGet();
            byte[] body = body(4 * CHUNK);
            if (call > 1) {
                writeInChunks(response, body);
                return;
            }
            if (text) {
                PrintWriter writer = response.getWriter();
                String chars = new String(body, StandardCharsets.US_ASCII);
                writer.write(chars, 0, 3 * CHUNK);
                writer.flush();
                await(clientGone);
                if (closeWithoutAsking) {
                    // Far less than the maximum body size: the failed write must stop the copy, not the limit.
                    for (int i = 0; i < 2048; i++) {
                        writer.write(chars, CHUNK, CHUNK);
                    }
                    writer.close();
                    if (writer.checkError()) {
                        failedWrite.countDown();
                        return;
                    }
                    throw new AssertionError("16 MB went to a client that hung up");
                }
                // Far less than the maximum body size: the failed write must stop the copy, not the limit.
                for (int i = 0; i < 2048; i++) {
                    writer.write(chars, CHUNK, CHUNK);
                    if (writer.checkError()) {
                        failedWrite.countDown();
                        return;
                    }
                }
                throw new AssertionError("16 MB went to a client that hung up");
            }
            OutputStream out = response.getOutputStream();
            try {
                out.write(body, 0, 3 * CHUNK);
                out.flush();
                await(clientGone);
                for (int i = 0; i < 2048; i++) {
                    out.write(body, CHUNK, CHUNK);
                    out.flush();
                }
                throw new AssertionError("16 MB went to a client that hung up");
            } catch (IOException swallowed) {
                failedWrite.countDown();
            }
        }

        private static void await(CountDownLatch latch) {
            try {
                if (!latch.await(60, TimeUnit.SECONDS)) {
                    throw new AssertionError("the client never hung up");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
