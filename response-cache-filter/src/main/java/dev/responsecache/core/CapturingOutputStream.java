package dev.responsecache.core;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Passes every byte through to the client and keeps a copy for the cache, up to a limit. Past the limit the copy is
 * dropped at once, so an oversized body streams through without ever being held whole in memory.
 */
public final class CapturingOutputStream extends OutputStream {

    private final OutputStream target;
    private final int limit;
    private byte[] copy = new byte[256];
    private int count;
    private boolean overflowed;

    CapturingOutputStream(OutputStream target, int limit) {
        this.target = target;
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        target.write(b);
        if (room(1)) {
            copy[count++] = (byte) b;
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        target.write(bytes, offset, length);
        keep(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        target.close();
    }

    /** True once the body grew past the limit; nothing is kept then. */
    public boolean overflowed() {
        return overflowed;
    }

    /** The bytes written so far, or null when the body overflowed the limit. */
    public byte[] captured() {
        return overflowed ? null : Arrays.copyOf(copy, count);
    }

    private void keep(byte[] bytes, int offset, int length) {
        if (room(length)) {
            System.arraycopy(bytes, offset, copy, count, length);
            count += length;
        }
    }

    /** Makes room for {@code length} more bytes; false (and the copy dropped) once past the limit. */
    private boolean room(int length) {
        if (overflowed) {
            return false;
        }
        if ((long) count + length > limit) {
            overflowed = true;
            copy = null;
            return false;
        }
        if (count + length > copy.length) {
            copy = Arrays.copyOf(copy, (int) Math.min(limit, Math.max(copy.length * 2L, count + length)));
        }
        return true;
    }
}
