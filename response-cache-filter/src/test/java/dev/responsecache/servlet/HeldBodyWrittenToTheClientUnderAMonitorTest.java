package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.TestServer;

import jakarta.servlet.DispatcherType;
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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter held a miss's body back until it was stored, then wrote it to the client inside a monitor
 * ({@code BodyCapture.deliver}), and every write through the servlet's writer went to the container's writer inside
 * {@code PrintWriter}'s: a virtual request thread blocked in that write (a slow client) pins its carrier thread on
 * Java 21 to 23. Here the "client" is the response in front of the filter, which notes the monitors the writing
 * thread holds at every write that reaches it: none of the library's may be among them.
 */
class HeldBodyWrittenToTheClientUnderAMonitorTest {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Set<String> monitorsHeldAtAWrite = ConcurrentHashMap.newKeySet();
    private final AtomicInteger writesSeen = new AtomicInteger();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.servlets();
        server.context().addFilter(new FilterHolder(new MonitorNotingFilter()), "/*",
                EnumSet.of(DispatcherType.REQUEST));
        FilterHolder cache = new FilterHolder(ResponseCacheFilter.class);
        cache.setInitParameter("ttl", "60");
        server.context().addFilter(cache, "/cached/*", EnumSet.of(DispatcherType.REQUEST));
        server.context().addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain");
                ServletOutputStream out = response.getOutputStream();
                out.write("bytes ".getBytes(StandardCharsets.US_ASCII));
                out.write('!');
                out.flush();
            }
        }), "/cached/stream");
        server.context().addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain;charset=UTF-8");
                PrintWriter out = response.getWriter();
                out.print("chars ");
                out.println(42);
                out.printf("%s%n", "formatted");
                out.write('!');
                out.flush();
                out.close();
            }
        }), "/cached/writer");
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void heldBytesReachTheClientHoldingNoMonitorOfTheLibrary() {
        HttpResponse<String> miss = server.getText("/cached/stream");
        assertEquals("bytes !", miss.body());
        assertEquals("HIT", server.getText("/cached/stream").headers().firstValue("X-Cache").orElse("none"));
        assertTrue(writesSeen.get() > 0, "no write reached the response in front of the filter");
        assertEquals(Set.of(), monitorsHeldAtAWrite);
    }

    @Test
    void charactersReachTheClientHoldingNoMonitorOfTheLibrary() {
        String line = System.lineSeparator();
        HttpResponse<String> miss = server.getText("/cached/writer");
        assertEquals("chars 42" + line + "formatted" + line + "!", miss.body());
        assertEquals("HIT", server.getText("/cached/writer").headers().firstValue("X-Cache").orElse("none"));
        assertTrue(writesSeen.get() > 0, "no write reached the response in front of the filter");
        assertEquals(Set.of(), monitorsHeldAtAWrite);
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
