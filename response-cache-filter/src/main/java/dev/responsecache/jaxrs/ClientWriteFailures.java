package dev.responsecache.jaxrs;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The runtime's output stream of a refresh's response, noting whether a write, flush or close of it failed (a client
 * that hung up): an exception an application's writer interceptor throws then may be that failure, passed on or
 * wrapped, not one of the interceptor's own. Everything else is passed through as it is.
 */
final class ClientWriteFailures extends OutputStream {

    private final OutputStream target;
    private volatile boolean failed;

    ClientWriteFailures(OutputStream target) {
        this.target = target;
    }

    /** Whether a write, flush or close of the runtime's stream failed. */
    boolean failed() {
        return failed;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            target.write(b);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            target.write(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            target.flush();
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            target.close();
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }
}
