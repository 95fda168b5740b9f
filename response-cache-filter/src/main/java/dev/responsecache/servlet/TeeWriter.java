package dev.responsecache.servlet;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * The servlet's writer: characters go to the container's own writer (which keeps the container's charset handling,
 * buffering and commit behaviour), then to the {@link BodyCapture}, which encodes them the same way. While the body is
 * held back, the characters are held by the {@link BodyCapture} and reach the container's writer once stored.
 */
final class TeeWriter extends PrintWriter {

    private final PrintWriter out;
    private final BodyCapture capture;

    TeeWriter(PrintWriter out, BodyCapture capture) {
        super(new Tee(out, capture));
        this.out = out;
        this.capture = capture;
    }

    /**
     * The container's writer swallows I/O errors and reports them here, as every PrintWriter does. A servlet that
     * sees an error stops writing, so the copy is missing the rest of the body: it is dropped.
     */
    @Override
    public boolean checkError() {
        boolean failed = super.checkError() || out.checkError();
        if (failed) {
            capture.abandon();
        }
        return failed;
    }

    private static final class Tee extends Writer {

        private final PrintWriter out;
        private final BodyCapture capture;

        Tee(PrintWriter out, BodyCapture capture) {
            this.out = out;
            this.capture = capture;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            if (capture.holdChars(chars, offset, length)) {
                return;
            }
            out.write(chars, offset, length);
            capture.write(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            if (capture.holdChars(text, offset, length)) {
                return;
            }
            out.write(text, offset, length);
            capture.write(text, offset, length);
        }

        @Override
        public void write(int c) {
            write(new char[] {(char) c}, 0, 1);
        }

        @Override
        public void flush() {
            // Deferred while the body is held: it is sent once stored.
            if (!capture.holding()) {
                out.flush();
            }
        }

        @Override
        public void close() {
            // While the body is held, closing the container's writer would end the response without it.
            if (!capture.closeCharsLater()) {
                out.close();
            }
        }
    }
}
