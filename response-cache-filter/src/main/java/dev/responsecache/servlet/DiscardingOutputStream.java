package dev.responsecache.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * A body that goes nowhere: a 304's, a refresh's whose client was answered already (the capture in front keeps the
 * copy that is stored), a method's past its deadline (the client has the stale answer). Always ready, so a
 * non-blocking writer is told at once that it may write.
 */
final class DiscardingOutputStream extends ServletOutputStream {

    private final Runnable onClose;
    private final Runnable onFlush;

    DiscardingOutputStream() {
        this(() -> { });
    }

    /** {@code onClose} runs when the stream is closed, as a container commits its response then. */
    DiscardingOutputStream(Runnable onClose) {
        this(onClose, () -> { });
    }

    /** As {@link #DiscardingOutputStream(Runnable)}, and {@code onFlush} runs when it is flushed. */
    DiscardingOutputStream(Runnable onClose, Runnable onFlush) {
        this.onClose = onClose;
        this.onFlush = onFlush;
    }

    @Override
    public void close() {
        onClose.run();
    }

    @Override
    public void flush() {
        onFlush.run();
    }

    @Override
    public void write(int b) {
        // discarded
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        // discarded
    }

    @Override
    public boolean isReady() {
        return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        try {
            listener.onWritePossible();
        } catch (IOException e) {
            listener.onError(e);
        }
    }
}
