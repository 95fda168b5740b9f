package dev.responsecache.servlet;

import dev.responsecache.core.CapturingOutputStream;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;

/**
 * A bounded copy of the body a servlet writes, in the bytes the client receives. Bytes written to the output stream
 * are copied as they are; characters written to the writer are encoded with the response's charset, exactly as the
 * container encodes them. The copy lives beside the real output (which it never delays), is started over when the
 * servlet resets the buffer, and is dropped once it grows past the maximum body size, once memory for it runs out, or
 * once a write to the client failed. Nothing here ever throws into the servlet's write: the copy is optional.
 */
final class BodyCapture {

    private final ResponseCache cache;
    private final Lookup lookup;
    // Volatile and read once per call: an async timeout abandons the copy on a container thread while the servlet
    // may still be writing on its own; a write then lands in a discarded copy, never in a null.
    private volatile CapturingOutputStream copy;
    private volatile Charset charset;
    private volatile Writer encoder;
    private volatile boolean abandoned;

    BodyCapture(ResponseCache cache, Lookup lookup) {
        this.cache = cache;
        this.lookup = lookup;
        this.copy = cache.capture(OutputStream.nullOutputStream(), lookup);
    }

    /** From now on characters are encoded with {@code charset}. */
    void encodeWith(Charset charset) {
        this.charset = charset;
        CapturingOutputStream target = copy;
        this.encoder = target == null ? null : new OutputStreamWriter(target, charset);
    }

    void write(int b) {
        CapturingOutputStream target = copy;
        if (target != null) {
            run(() -> target.write(b));
        }
    }

    void write(byte[] bytes, int offset, int length) {
        CapturingOutputStream target = copy;
        if (target != null) {
            run(() -> target.write(bytes, offset, length));
        }
    }

    void write(char[] chars, int offset, int length) {
        Writer target = encoder;
        if (target != null) {
            run(() -> target.write(chars, offset, length));
        }
    }

    void write(String text, int offset, int length) {
        Writer target = encoder;
        if (target != null) {
            run(() -> target.write(text, offset, length));
        }
    }

    /** The buffer was discarded: so is the copy. */
    void restart() {
        if (!abandoned) {
            run(() -> {
                copy = cache.capture(OutputStream.nullOutputStream(), lookup);
                encoder = charset == null ? null : new OutputStreamWriter(copy, charset);
            });
        }
    }

    /**
     * Nothing of this body is ever stored, and requests coalesced on its key are released. Also called when a write
     * to the client failed: whatever the servlet does next (catch the error, stop on {@code checkError()}), the client
     * did not get the whole body.
     */
    void abandon() {
        abandoned = true;
        copy = null;
        encoder = null;
        cache.release(lookup);
    }

    /** The complete body, or null when it was abandoned or grew past the maximum size. */
    byte[] captured() {
        CapturingOutputStream target = copy;
        Writer text = encoder;
        if (abandoned || target == null) {
            return null;
        }
        if (text != null) {
            run(text::flush);
        }
        return target.captured();
    }

    /**
     * The copy is written to memory only, after the client's bytes: any failure here (no memory left for an encoder
     * buffer, a bug) gives up the copy and never reaches the servlet's write.
     */
    private void run(IoAction action) {
        try {
            action.run();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            abandon();
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }
}
