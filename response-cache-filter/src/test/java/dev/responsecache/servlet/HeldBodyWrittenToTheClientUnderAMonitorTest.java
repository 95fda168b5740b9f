package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.Container;
import dev.responsecache.testing.ServletApp;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The filter held a miss's body back until it was stored, then wrote it to the client inside a monitor
 * ({@code BodyCapture.deliver}), and every write through the servlet's writer went to the container's writer inside
 * {@code PrintWriter}'s: a virtual request thread blocked in that write (a slow client) pins its carrier thread on
 * Java 21 to 23. Here the "client" is a response in front of the filter, which notes the monitors the writing thread
 * holds at every write that reaches it: none of the library's may be among them, on the miss (the held body
 * delivered), the hit, and a body past {@code max-body-size} that streams through.
 */
class HeldBodyWrittenToTheClientUnderAMonitorTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /**
     * Past the 1 KB {@code max-body-size} and past the 8 KB the copy's encoder buffers, so that the copy finds it too
     * large while the servlet is still printing: what it prints from then on streams through the servlet's writer.
     */
    private static final int LARGE = 20_000;

    private final Set<String> monitorsHeldAtAWrite = ConcurrentHashMap.newKeySet();
    private final AtomicInteger writesSeen = new AtomicInteger();

    private Container.Running start(Container container) {
        return container.start(new ServletApp()
                .contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "1KB")
                .filter("noting", new MonitorNotingFilter(), "/*")
                .filter("cache", new ResponseCacheFilter(), "/cached/*", "ttl", "60")
                .servlet("stream", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest request, HttpServletResponse response)
                            throws IOException {
                        response.setContentType("text/plain");
                        ServletOutputStream out = response.getOutputStream();
                        out.write("bytes ".getBytes(StandardCharsets.US_ASCII));
                        out.write('!');
                        out.flush();
                    }
                }, "/cached/stream")
                .servlet("writer", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest request, HttpServletResponse response)
                            throws IOException {
                        response.setContentType("text/plain;charset=UTF-8");
                        PrintWriter out = response.getWriter();
                        out.print("chars ");
                        out.println(42);
                        out.printf("%s%n", "formatted");
                        out.write('!');
                        out.flush();
                        out.close();
                    }
                }, "/cached/writer")
                .servlet("large", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest request, HttpServletResponse response)
                            throws IOException {
                        response.setContentType("text/plain;charset=UTF-8");
                        PrintWriter out = response.getWriter();
                        for (int written = 0; written < LARGE; written += 100) {
                            out.print("x".repeat(99));
                            out.println();
                        }
                    }
                }, "/cached/large"));
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void heldBytesReachTheClientHoldingNoMonitorOfTheLibrary(Container container) {
        try (Container.Running app = start(container)) {
            assertEquals("bytes !", app.get("/cached/stream").body());
            assertEquals("HIT", app.get("/cached/stream").headers().firstValue("X-Cache").orElse("none"));
        }
        assertNoMonitorAtAnyWrite(container);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void heldCharactersReachTheClientHoldingNoMonitorOfTheLibrary(Container container) {
        String line = System.lineSeparator();
        try (Container.Running app = start(container)) {
            assertEquals("chars 42" + line + "formatted" + line + "!", app.get("/cached/writer").body());
            assertEquals("HIT", app.get("/cached/writer").headers().firstValue("X-Cache").orElse("none"));
        }
        assertNoMonitorAtAnyWrite(container);
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void streamedCharactersReachTheClientHoldingNoMonitorOfTheLibrary(Container container) {
        try (Container.Running app = start(container)) {
            String body = app.get("/cached/large").body();
            assertEquals(LARGE / 100 * (99 + System.lineSeparator().length()), body.length());
        }
        assertNoMonitorAtAnyWrite(container);
    }

    private void assertNoMonitorAtAnyWrite(Container container) {
        assertTrue(writesSeen.get() > 0, container + ": no write reached the response in front of the filter");
        assertEquals(Set.of(), monitorsHeldAtAWrite, container + ": the library's monitors held at a write");
    }

    /** At a write reaching the client: the monitors of the library's objects the writing thread holds. */
    private void noteMonitors() {
        writesSeen.incrementAndGet();
        ThreadInfo info = THREADS.getThreadInfo(new long[] {Thread.currentThread().getId()}, true, false)[0];
        for (MonitorInfo monitor : info.getLockedMonitors()) {
            String type = monitor.getClassName();
            if (type.startsWith("dev.responsecache.") && !type.startsWith(getClass().getName())) {
                monitorsHeldAtAWrite.add(type + " at " + monitor.getLockedStackFrame());
            }
        }
    }

    private final class MonitorNotingFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            chain.doFilter(request, new MonitorNotingResponse((HttpServletResponse) response));
        }
    }

    private final class MonitorNotingResponse extends HttpServletResponseWrapper {
        private ServletOutputStream stream;
        private PrintWriter writer;

        MonitorNotingResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (stream == null) {
                stream = new MonitorNotingStream(super.getOutputStream());
            }
            return stream;
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (writer == null) {
                writer = new PrintWriter(new MonitorNotingWriter(super.getWriter()));
            }
            return writer;
        }
    }

    private final class MonitorNotingStream extends ServletOutputStream {
        private final ServletOutputStream out;

        MonitorNotingStream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            noteMonitors();
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            noteMonitors();
            out.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            noteMonitors();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        @Override
        public boolean isReady() {
            return out.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            out.setWriteListener(listener);
        }
    }

    private final class MonitorNotingWriter extends Writer {
        private final PrintWriter out;

        MonitorNotingWriter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            noteMonitors();
            out.write(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            noteMonitors();
            out.write(text, offset, length);
        }

        @Override
        public void flush() {
            noteMonitors();
            out.flush();
        }

        @Override
        public void close() {
            out.close();
        }
    }
}
