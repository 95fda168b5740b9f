package dev.responsecache.servlet;

import dev.responsecache.core.Lookup;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The body of an answer the servlet adapter writes itself, counted ({@link Lookup#written()}) just before its last
 * byte: that byte may complete the response, and the client must not be answered before the answer is counted;
 * every byte before it may still fail with nothing committed (a stream a response wrapper in front refuses), and then
 * the answer was never a hit but the bypass it became ({@link Lookup#notWritten()}). One write of the whole body is
 * passed on as two: all but its last byte, then that byte.
 */
final class CountedBeforeItsLastByte extends OutputStream {

    private final OutputStream out;
    private final Lookup lookup;
    /** Bytes still to come before the body is whole; at or below zero, the answer is counted. */
    private long remaining;

    /** @param length the body's length, at least 1 */
    CountedBeforeItsLastByte(OutputStream out, Lookup lookup, long length) {
        this.out = out;
        this.lookup = lookup;
        this.remaining = length;
    }

    @Override
    public void write(int b) throws IOException {
        if (remaining-- == 1) {
            lookup.written();
        }
        out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len < remaining || remaining <= 0) {
            remaining -= len;
            out.write(b, off, len);
            return;
        }
        int before = (int) (remaining - 1);
        remaining -= len;
        if (before > 0) {
            out.write(b, off, before);
        }
        lookup.written();
        out.write(b, off + before, len - before);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
