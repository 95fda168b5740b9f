package dev.responsecache.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The response of an unsafe request, which runs the eviction before anything could send it: a flush, a redirect,
 * closing the body, or a write that fills the container's buffer, reaches the declared Content-Length or is one the
 * container sends at once ({@link ContainerCommits}), each of which lets the container send the answer while the
 * servlet is still running. Evicting only once the servlet returned let a client that already held the 200 read the
 * entry the update condemned. The eviction runs at most
 * once here (the status and the {@code Location} are settled by then); the caller evicts again when the servlet
 * returns, for what it changed after answering.
 */
final class EvictingBeforeCommit extends HttpServletResponseWrapper {

    /** A character may take up to this many bytes in the response's encoding (UTF-8, outside surrogate pairs). */
    private static final int MAX_BYTES_PER_CHAR = 3;

    private final Runnable eviction;
    /**
     * Guards the count and the eviction. A lock, not a monitor: the eviction (a store call, to Redis) and the
     * container's calls run under it, and a virtual request thread blocked inside a monitor pins its carrier thread
     * on Java 21 to 23. Reentrant, as the monitor was: a write evicts under it.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** The request answered, whose container says where its stream sends a write at once ({@link #commits}). */
    private final ServletRequest request;
    /** Where the container's stream sends a write at once, before its buffer is full: read at the first write. */
    private ContainerCommits commits;
    private boolean evicted;
    private long written;
    /** The Content-Length the servlet set, or -1. */
    private long declaredLength = -1;
    private ServletOutputStream stream;
    private PrintWriter writer;

    EvictingBeforeCommit(HttpServletResponse response, ServletRequest request, Runnable eviction) {
        super(response);
        this.request = request;
        this.eviction = eviction;
    }

    /** Whether the eviction ran before the servlet returned. */
    boolean evicted() {
        lock.lock();
        try {
            return evicted;
        } finally {
            lock.unlock();
        }
    }

    private void evict() {
        lock.lock();
        try {
            if (!evicted) {
                evicted = true;
                eviction.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Before {@code bytes} more are written: evicts when they may make the container send the response. */
    private void writing(long bytes) {
        lock.lock();
        try {
            written += bytes;
            if (evicted) {
                return;
            }
            long limit = getBufferSize();
            if (declaredLength >= 0) {
                limit = Math.min(limit, declaredLength);
            }
            if (written >= limit) {
                evict();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Before a write of {@code length} bytes to the stream: evicts when the container may send it at once, before its
     * buffer is full ({@link ContainerCommits}; Jetty, a write past its aggregation size).
     */
    private void writingToStream(int length) {
        lock.lock();
        try {
            if (!evicted && commits().commitsOnWrite(length, written + length, getBufferSize(), false)) {
                evict();
            }
            writing(length);
        } finally {
            lock.unlock();
        }
    }

    /** Read once, under this response's lock, by the first write that asks. */
    private ContainerCommits commits() {
        if (commits == null) {
            commits = ContainerCommits.of(request);
        }
        return commits;
    }

    @Override
    public void setContentLength(int length) {
        lock.lock();
        try {
            declaredLength = length;
            super.setContentLength(length);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setContentLengthLong(long length) {
        lock.lock();
        try {
            declaredLength = length;
            super.setContentLengthLong(length);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setHeader(String name, String value) {
        declared(name, value);
        super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
        declared(name, value);
        super.addHeader(name, value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        declared(name, Integer.toString(value));
        super.setIntHeader(name, value);
    }

    @Override
    public void addIntHeader(String name, int value) {
        declared(name, Integer.toString(value));
        super.addIntHeader(name, value);
    }

    private void declared(String name, String value) {
        lock.lock();
        try {
            if ("Content-Length".equalsIgnoreCase(name)) {
                try {
                    declaredLength = value == null ? -1 : Long.parseLong(value.trim());
                } catch (NumberFormatException unreadable) {
                    // The container decides what it does with it; the buffer still bounds what it holds.
                    declaredLength = -1;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        evict();
        super.flushBuffer();
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        super.setStatus(HttpServletResponse.SC_FOUND);
        super.setHeader("Location", location);
        evict();
        super.sendRedirect(location);
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        lock.lock();
        try {
            if (stream == null) {
                stream = new Stream(super.getOutputStream());
            }
            return stream;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        lock.lock();
        try {
            if (writer == null) {
                writer = new PrintWriter(new Chars(super.getWriter()));
            }
            return writer;
        } finally {
            lock.unlock();
        }
    }

    private final class Stream extends ServletOutputStream {
        private final ServletOutputStream out;

        Stream(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            writing(1);
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            writingToStream(length);
            out.write(bytes, offset, length);
        }

        /**
         * Printed by the container's stream, which encodes text its own way (Jetty's in the response's charset, where
         * the servlet API's default is one byte per character): counted at the most bytes it may take.
         */
        @Override
        public void print(String text) throws IOException {
            String printed = String.valueOf(text);
            writingToStream(mostBytes(printed, 0));
            out.print(printed);
        }

        @Override
        public void println(String text) throws IOException {
            String printed = String.valueOf(text);
            writingToStream(mostBytes(printed, 2));
            out.println(printed);
        }

        private static int mostBytes(String text, int lineEnd) {
            return (int) Math.min(Integer.MAX_VALUE, (long) text.length() * MAX_BYTES_PER_CHAR + lineEnd);
        }

        @Override
        public void flush() throws IOException {
            evict();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            evict();
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

    private final class Chars extends Writer {
        private final PrintWriter out;

        Chars(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            writing((long) length * MAX_BYTES_PER_CHAR);
            out.write(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            writing((long) length * MAX_BYTES_PER_CHAR);
            out.write(text, offset, length);
        }

        @Override
        public void flush() {
            evict();
            out.flush();
        }

        @Override
        public void close() {
            evict();
            out.close();
        }
    }
}
