package dev.responsecache.servlet;

import jakarta.servlet.ServletRequest;

/**
 * Where the container's output stream commits a response on a write before the body outgrows its buffer, so that the
 * capture, which holds the body back, counts it as committed where the container alone would have been
 * ({@link CapturingResponse}). Jetty 12's {@code HttpOutput} sends at once a single write longer than its output
 * aggregation size (8 KiB by default, the buffer size once {@code setBufferSize} was called), and a write that fills
 * the buffer: a 10 KB write into its empty 32 KB buffer commits the response, and so does a body of exactly the
 * buffer's size. Tomcat keeps any write its buffer can hold, as every other container is taken to: there only a body
 * longer than the buffer commits, which {@link BodyCapture#heldPast} counts.
 */
final class StreamCommits {

    /** The buffer overflowing is all that commits. */
    static final StreamCommits BUFFER_ONLY = new StreamCommits(null);

    private final JettyOutput jetty;

    private StreamCommits(JettyOutput jetty) {
        this.jetty = jetty;
    }

    /** The rule of the container {@code request} came through. */
    static StreamCommits of(ServletRequest request) {
        JettyOutput jetty = JettyOutput.of(request);
        return jetty == null ? BUFFER_ONLY : new StreamCommits(jetty);
    }

    /**
     * Whether a write of {@code length} bytes that makes the body {@code total} bytes long commits a response with a
     * buffer of {@code bufferSize} bytes; {@code bufferSet}: the servlet set that size. Jetty's aggregation size
     * becomes the buffer size when it is set (by a filter in front too, which shows as a size other than the
     * connector's).
     */
    boolean commits(int length, long total, int bufferSize, boolean bufferSet) {
        if (jetty == null || bufferSize <= 0) {
            return false;
        }
        int atOnce = bufferSet || bufferSize != jetty.bufferSize() ? bufferSize
                : Math.min(jetty.aggregationSize(), bufferSize);
        return length > atOnce || total >= bufferSize;
    }
}
