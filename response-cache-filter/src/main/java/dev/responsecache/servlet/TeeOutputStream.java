package dev.responsecache.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import java.io.IOException;

/** The servlet's output stream: every byte goes to the client first, then to the {@link BodyCapture}. */
final class TeeOutputStream extends ServletOutputStream {

    private final ServletOutputStream out;
    private final BodyCapture capture;

    TeeOutputStream(ServletOutputStream out, BodyCapture capture) {
        this.out = out;
        this.capture = capture;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        capture.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        capture.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
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
