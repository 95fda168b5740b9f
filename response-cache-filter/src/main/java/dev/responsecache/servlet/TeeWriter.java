package dev.responsecache.servlet;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Formatter;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The servlet's writer: characters go to the {@link BodyCapture}, which encodes them as the container does, then to
 * the container's own writer (which keeps the container's charset handling, buffering and commit behaviour): a body
 * past {@code max-body-size} is known before the characters that take it past the limit reach the container. While the body is
 * held back, the characters are held by the {@link BodyCapture} and reach the container's writer once stored. Once
 * the servlet closed it, what it writes is the container's writer's to refuse, as it does without the cache (Jetty's
 * reports an error to {@code checkError()}, Tomcat's ignores it silently), and is never copied.
 *
 * <p>Every method of {@link PrintWriter} that writes, flushes or closes under its monitor ({@code synchronized (lock)},
 * which a subclass always gets, even on the JDKs that spare a plain {@code PrintWriter}) is overridden to do the same
 * under {@link #writing}, a {@link ReentrantLock}: a write reaches the container's writer, and so the client, under
 * it, and a virtual request thread blocked in that write holding a monitor pins its carrier thread on Java 21 to 23.
 * The methods left to {@code PrintWriter} ({@code print}, {@code append}, {@code printf}, {@code write(String)})
 * only call these.
 */
final class TeeWriter extends PrintWriter {

    private final PrintWriter out;
    private final BodyCapture capture;
    private final Tee tee;
    /** Serialises writes, flushes and the close, as {@code PrintWriter}'s monitor does; reentrant, as it is. */
    private final ReentrantLock writing = new ReentrantLock();
    /** {@link #format}'s, made and used under {@link #writing}, as {@code PrintWriter} keeps its own. */
    private Formatter formatter;

    TeeWriter(PrintWriter out, BodyCapture capture) {
        this(out, capture, new Tee(out, capture));
    }

    private TeeWriter(PrintWriter out, BodyCapture capture, Tee tee) {
        super(tee);
        this.out = out;
        this.capture = capture;
        this.tee = tee;
    }

    /**
     * The container's writer swallows I/O errors and reports them here, as every PrintWriter does. A servlet that
     * sees an error stops writing, so the copy is missing the rest of the body: it is dropped. Once the servlet
     * closed this writer, an error (Jetty's writer reports one for any use after its close) says nothing about the
     * copy: one that came before the close was asked about, and the copy dropped, by {@link Tee#close()}.
     */
    @Override
    public boolean checkError() {
        boolean failed = super.checkError() | out.checkError();
        if (failed && !tee.closed) {
            capture.abandon();
        }
        return failed;
    }

    /**
     * Left open as a PrintWriter, unlike {@link PrintWriter#close()}, whose own refusal of later writes would answer
     * the servlet differently than the container's writer does: the {@link Tee} passes them to it instead.
     */
    @Override
    public void close() {
        writing.lock();
        try {
            tee.close();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void flush() {
        locked(tee::flush);
    }

    @Override
    public void write(int c) {
        locked(() -> tee.write(c));
    }

    @Override
    public void write(char[] chars, int offset, int length) {
        locked(() -> tee.write(chars, offset, length));
    }

    @Override
    public void write(String text, int offset, int length) {
        locked(() -> tee.write(text, offset, length));
    }

    @Override
    public void println() {
        locked(() -> tee.write(System.lineSeparator()));
    }

    @Override
    public void println(boolean x) {
        writing.lock();
        try {
            print(x);
            println();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void println(char x) {
        writing.lock();
        try {
            print(x);
            println();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void println(int x) {
        writing.lock();
        try {
            print(x);
            println();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void println(long x) {
        writing.lock();
        try {
            print(x);
            println();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void println(float x) {
        writing.lock();
        try {
            print(x);
            println();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void println(double x) {
        writing.lock();
        try {
            print(x);
            println();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void println(char[] x) {
        writing.lock();
        try {
            print(x);
            println();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void println(String x) {
        writing.lock();
        try {
            print(x);
            println();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public void println(Object x) {
        String text = String.valueOf(x);
        writing.lock();
        try {
            print(text);
            println();
        } finally {
            writing.unlock();
        }
    }

    @Override
    public PrintWriter format(String format, Object... args) {
        return format(Locale.getDefault(), format, args);
    }

    @Override
    public PrintWriter format(Locale locale, String format, Object... args) {
        writing.lock();
        try {
            if (formatter == null || formatter.locale() != locale) {
                formatter = new Formatter(this, locale);
            }
            formatter.format(locale, format, args);
        } finally {
            writing.unlock();
        }
        return this;
    }

    /** Runs a write to the {@link Tee} as {@code PrintWriter} does: an I/O error is kept for {@link #checkError()}. */
    private void locked(TeeAction action) {
        writing.lock();
        try {
            action.run();
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            setError();
        } finally {
            writing.unlock();
        }
    }

    private interface TeeAction {
        void run() throws IOException;
    }

    private static final class Tee extends Writer {

        private final PrintWriter out;
        private final BodyCapture capture;
        /** The resets before this writer was obtained: one kept across a reset writes straight through, uncopied. */
        private final int obtainedAt;
        private volatile boolean closed;

        Tee(PrintWriter out, BodyCapture capture) {
            this.out = out;
            this.capture = capture;
            this.obtainedAt = capture.resets();
        }

        @Override
        public void write(char[] chars, int offset, int length) throws IOException {
            if (closed) {
                closedFirst().write(chars, offset, length);
                return;
            }
            if (capture.abandonIfResetSince(obtainedAt)) {
                out.write(chars, offset, length);
                return;
            }
            if (capture.holdChars(chars, offset, length)) {
                return;
            }
            // Copied first: a body past the limit is said before these characters reach the container.
            capture.writeStreamed(chars, offset, length);
            out.write(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) throws IOException {
            if (closed) {
                closedFirst().write(text, offset, length);
                return;
            }
            if (capture.abandonIfResetSince(obtainedAt)) {
                out.write(text, offset, length);
                return;
            }
            if (capture.holdChars(text, offset, length)) {
                return;
            }
            capture.writeStreamed(text, offset, length);
            out.write(text, offset, length);
        }

        @Override
        public void write(int c) throws IOException {
            write(new char[] {(char) c}, 0, 1);
        }

        @Override
        public void flush() {
            // Deferred while the body is held: it is sent once stored.
            if (capture.flushCharsLater()) {
                return;
            }
            if (capture.holding()) {
                capture.flushedWhileHeld();
            } else {
                out.flush();
            }
        }

        @Override
        public void close() {
            closed = true;
            if (capture.abandonIfResetSince(obtainedAt)) {
                out.close();
                return;
            }
            capture.closeByServlet();
            // While the body is held, closing the container's writer would end the response without it.
            if (!capture.closeCharsLater()) {
                // Asked before the close, after which Jetty's writer reports an error for any use: a write to the
                // client that failed before it (whose error the servlet never asked about) leaves the copy short.
                if (out.checkError()) {
                    capture.abandon();
                }
                out.close();
            }
        }

        /**
         * The container's writer, closed as the servlet closed this one: held characters are sent (and the
         * container's writer closed) first, so that a write after the close meets a closed writer. Holding it further
         * would send and store those characters.
         */
        private PrintWriter closedFirst() throws IOException {
            capture.deliver();
            return out;
        }
    }
}
