package dev.responsecache.core;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Passes every byte through to the client and keeps a copy for the cache, up to a limit. The copy is optional and
 * never costs the client a byte: once it cannot be kept (the body grew past the limit, memory for it ran out) it is
 * dropped at once, so an oversized body streams through without ever being held whole in memory; and once a write
 * to the client failed (a client that hung up, whose error the application may swallow) it is dropped too, since
 * what was copied is no longer what the client got. Either way {@code onDropped} runs once, so that requests
 * waiting for this response to be stored are released without waiting for the rest of the transfer. A write that
 * takes the body past the limit drops the copy before it reaches the client: an adapter can still set a header line
 * saying so if the client has been sent none yet.
 *
 * <p>A holding capture ({@link ResponseCache#hold}) sends nothing while the body may still be stored: it keeps the
 * bytes until {@link #deliver()}, so that the response can be stored (and requests waiting for it released) before
 * the client has read a byte, however slowly it reads. A {@link #flush()} then waits for delivery too. Once the body
 * cannot be kept (past the limit, no memory) the held bytes go to the client at once and the rest streams through.
 */
public final class CapturingOutputStream extends OutputStream {

    private static final int FIRST_SIZE = 256;

    private final OutputStream target;
    private int limit;
    private final IntFunction<byte[]> buffers;
    private final Runnable onDropped;
    /** True while bytes are kept back from the client (a holding capture, until delivered or given up). */
    private boolean holding;
    private boolean closeRequested;
    private byte[] copy;
    private int count;
    private boolean overflowed;
    private boolean dropped;
    /** A write, flush or close of the client's stream failed: what fails after it is the client's, not the body's. */
    private boolean clientFailed;

    CapturingOutputStream(OutputStream target, int limit, IntFunction<byte[]> buffers, Runnable onDropped,
                          boolean hold) {
        this.target = target;
        this.holding = hold;
        this.limit = limit;
        this.buffers = buffers;
        this.onDropped = onDropped;
    }

    @Override
    public void write(int b) throws IOException {
        if (holding) {
            if (room(1)) {
                copy[count++] = (byte) b;
                return;
            }
            releaseHeld();
        }
        // Judged before the client is given the byte: past the limit, onDropped runs while nothing past it went out.
        boolean kept = room(1);
        try {
            target.write(b);
        } catch (IOException | RuntimeException e) {
            targetFailed();
            throw e;
        }
        if (kept) {
            copy[count++] = (byte) b;
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (holding) {
            if (room(length)) {
                keep(bytes, offset, length);
                return;
            }
            releaseHeld();
        }
        // Judged before the client is given the bytes: past the limit, onDropped runs while nothing past it went out.
        boolean kept = room(length);
        try {
            target.write(bytes, offset, length);
        } catch (IOException | RuntimeException e) {
            targetFailed();
            throw e;
        }
        if (kept) {
            keep(bytes, offset, length);
        }
    }

    /**
     * Appends to the copy. A write of nothing copies nothing: before the first byte there is no copy to write to (a
     * writer's first write may be empty, as RESTEasy's writes an empty {@code String}).
     */
    private void keep(byte[] bytes, int offset, int length) {
        if (length > 0) {
            System.arraycopy(bytes, offset, copy, count, length);
            count += length;
        }
    }

    @Override
    public void flush() throws IOException {
        if (holding) {
            return;
        }
        try {
            target.flush();
        } catch (IOException | RuntimeException e) {
            targetFailed();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        if (holding) {
            closeRequested = true;
            return;
        }
        try {
            target.close();
        } catch (IOException | RuntimeException e) {
            targetFailed();
            throw e;
        }
    }

    /**
     * Sends what is held to the client, once it has been stored (or found not storable); from then on bytes pass
     * straight through, still copied. Does nothing when nothing is held.
     */
    public void deliver() throws IOException {
        if (!holding) {
            return;
        }
        byte[] held = copy;
        int length = count;
        holding = false;
        try {
            if (length > 0) {
                target.write(held, 0, length);
            }
            if (closeRequested) {
                target.close();
            }
        } catch (IOException | RuntimeException e) {
            targetFailed();
            throw e;
        }
    }

    /** True once the body grew past the limit; nothing is kept then. */
    public boolean overflowed() {
        return overflowed;
    }

    /**
     * The bytes written so far, or null when there is no faithful copy: the body overflowed the limit, memory for
     * the copy ran out, or a write to the client failed.
     */
    public byte[] captured() {
        if (dropped) {
            return null;
        }
        if (copy == null) {
            return new byte[0];
        }
        if (count == copy.length) {
            return copy;
        }
        try {
            return Arrays.copyOf(copy, count);
        } catch (OutOfMemoryError e) {
            drop();
            return null;
        }
    }

    /** Makes room for {@code length} more bytes; false (and the copy dropped) when it cannot be kept. */
    private boolean room(int length) {
        if (dropped) {
            return false;
        }
        if ((long) count + length > limit) {
            overflowed = true;
            drop();
            return false;
        }
        int size = copy == null ? 0 : copy.length;
        if (count + length > size) {
            int grown = (int) Math.min(limit, Math.max(Math.max(size * 2L, FIRST_SIZE), count + length));
            try {
                byte[] larger = buffers.apply(grown);
                if (count > 0) {
                    System.arraycopy(copy, 0, larger, 0, count);
                }
                copy = larger;
            } catch (OutOfMemoryError | RuntimeException e) {
                // The client's bytes are already on their way; only the optional copy is given up.
                drop();
                return false;
            }
        }
        return true;
    }

    /**
     * Keeps (and holds) up to {@code bytes} from now on where that is more than the limit so far, unless the copy was
     * dropped already: for a body that is never stored past {@code max-body-size} ({@code ResponseCache.store} refuses
     * it) but may still have to be given again whole (an error a stale answer may replace, whose own answer goes out
     * should that stale answer fail).
     */
    public void keepUpTo(int bytes) {
        if (!dropped && bytes > limit) {
            limit = bytes;
        }
    }

    /** How many bytes were written so far while a copy is kept (held or not). */
    public int size() {
        return count;
    }

    /** Whether a copy is still being kept (not dropped for size, memory or a failed write). */
    public boolean keeping() {
        return !dropped;
    }

    /**
     * Whether a write, flush or close of the client's stream failed (a client that hung up): an exception the body's
     * writer throws then may be that failure, not one of the body's own.
     */
    public boolean clientFailed() {
        return clientFailed;
    }

    /** Whether bytes are being kept back from the client. */
    public boolean holding() {
        return holding;
    }

    /** The body will not be kept: what was held goes to the client, and the rest streams through. */
    private void releaseHeld() throws IOException {
        byte[] held = copy;
        int length = count;
        holding = false;
        copy = null;
        if (held != null && length > 0) {
            try {
                target.write(held, 0, length);
            } catch (IOException | RuntimeException e) {
                targetFailed();
                throw e;
            }
        }
    }

    private void targetFailed() {
        clientFailed = true;
        drop();
    }

    private void drop() {
        if (!holding) {
            // While holding, the held bytes are the client's: releaseHeld() sends them before letting go.
            copy = null;
        }
        if (!dropped) {
            dropped = true;
            onDropped.run();
        }
    }
}
