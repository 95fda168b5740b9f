package dev.responsecache.servlet;

import dev.responsecache.core.CapturingOutputStream;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;
import java.util.function.Supplier;

/**
 * The servlet's output stream. While the body is held back ({@link BodyCapture#holder()}), every byte goes to the
 * holding capture, which sends it on once the response is stored or cannot be. Otherwise every byte goes to the
 * {@link BodyCapture}, then to the client: a body past {@code max-body-size} is known (and said, while the header lines
 * have not gone out) before the write that takes it past the limit reaches the container. A failed write to the client
 * (it hung up) drops the copy before the error reaches the servlet, which may well swallow it. Once the servlet closed the stream, what it writes is the container's
 * to refuse, as it does without the cache, and is never copied. Text the servlet prints is turned into the bytes the
 * container's stream would have printed ({@link StreamPrint}).
 */
final class TeeOutputStream extends ServletOutputStream {

    /** The line end Jetty's {@code println(String)} writes after the text, whatever the charset. */
    private static final byte[] LINE_END = {'\r', '\n'};

    private final ServletOutputStream out;
    private final BodyCapture capture;
    /** The resets before this stream was obtained: one kept across a reset writes straight through, uncopied. */
    private final int obtainedAt;
    private volatile boolean closed;
    /** How the stream the servlet would have printed on encodes text. */
    private final StreamPrint print;
    /** The response's character encoding, read at each print as Jetty reads it. */
    private final Supplier<String> encoding;

    TeeOutputStream(ServletOutputStream out, BodyCapture capture, StreamPrint print, Supplier<String> encoding) {
        this.out = out;
        this.capture = capture;
        this.obtainedAt = capture.resets();
        this.print = print;
        this.encoding = encoding;
    }

    @Override
    public void print(String text) throws IOException {
        switch (print) {
            case SERVLET_API -> super.print(text);
            case RESPONSE_CHARSET -> {
                byte[] bytes = encoded(text);
                if (bytes == null) {
                    uncopied().print(text);
                } else {
                    write(bytes, 0, bytes.length);
                }
            }
            default -> uncopied().print(text);
        }
    }

    @Override
    public void println(String text) throws IOException {
        switch (print) {
            case SERVLET_API -> super.println(text);
            case RESPONSE_CHARSET -> printLine(text);
            default -> uncopied().println(text);
        }
    }

    /** As Jetty prints a line: see {@link StreamPrint#RESPONSE_CHARSET}. */
    private void printLine(String text) throws IOException {
        byte[] bytes = encoded(text);
        if (bytes == null) {
            uncopied().println(text);
            return;
        }
        if (closed) {
            closedFirst().println(text);
            return;
        }
        if (capture.abandonIfResetSince(obtainedAt)) {
            out.println(text);
            return;
        }
        CapturingOutputStream held = capture.holder();
        if (held != null) {
            held.write(bytes, 0, bytes.length);
            capture.heldLine(bytes.length, bytes.length + LINE_END.length);
            capture.checkFilled();
            write(LINE_END, 0, LINE_END.length);
            return;
        }
        capture.write(bytes, 0, bytes.length);
        capture.write(LINE_END, 0, LINE_END.length);
        try {
            out.println(text);
        } catch (IOException | RuntimeException e) {
            capture.abandon();
            throw e;
        }
    }

    /**
     * {@code text} in the response's character encoding, as Jetty encodes it (a charset it does not support refused as
     * Jetty refuses it); null when the response names none.
     */
    private byte[] encoded(String text) throws IOException {
        String charset = encoding.get();
        return charset == null ? null : String.valueOf(text).getBytes(charset);
    }

    /**
     * The container's stream, for text printed in a way the cache does not know: what was held goes out first, and
     * the copy is dropped, since its bytes are unknown.
     */
    private ServletOutputStream uncopied() {
        capture.abandon();
        return out;
    }

    @Override
    public void write(int b) throws IOException {
        if (closed) {
            closedFirst().write(b);
            return;
        }
        if (capture.abandonIfResetSince(obtainedAt)) {
            out.write(b);
            return;
        }
        CapturingOutputStream held = capture.holder();
        if (held != null) {
            held.write(b);
            capture.heldWrite(1);
            capture.checkFilled();
            return;
        }
        capture.write(b);
        try {
            out.write(b);
        } catch (IOException | RuntimeException e) {
            capture.abandon();
            throw e;
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            closedFirst().write(bytes, offset, length);
            return;
        }
        if (capture.abandonIfResetSince(obtainedAt)) {
            out.write(bytes, offset, length);
            return;
        }
        CapturingOutputStream held = capture.holder();
        if (held != null) {
            held.write(bytes, offset, length);
            capture.heldWrite(length);
            capture.checkFilled();
            return;
        }
        capture.write(bytes, offset, length);
        try {
            out.write(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            capture.abandon();
            throw e;
        }
    }

    @Override
    public void flush() throws IOException {
        CapturingOutputStream held = capture.holder();
        if (held != null) {
            // Deferred while the body is held: it is sent once stored.
            capture.flushedWhileHeld();
            held.flush();
            return;
        }
        try {
            out.flush();
        } catch (IOException | RuntimeException e) {
            capture.abandon();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (capture.abandonIfResetSince(obtainedAt)) {
            out.close();
            return;
        }
        capture.closeByServlet();
        CapturingOutputStream held = capture.holder();
        if (held != null) {
            held.close();
            return;
        }
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            capture.abandon();
            throw e;
        }
    }

    /**
     * The container's stream, closed as the servlet closed this one: a held body is sent (and the container's stream
     * closed) first, so that a write after the close meets a closed stream, which Jetty refuses with an
     * {@code EofException} and Tomcat ignores. Holding it further would send and store those bytes.
     */
    private ServletOutputStream closedFirst() throws IOException {
        capture.deliver();
        return out;
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
