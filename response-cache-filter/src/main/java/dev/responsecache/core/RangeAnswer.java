package dev.responsecache.core;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * How a hit on a stored 200 answers a {@code Range} request (RFC 9110 section 14): one range of the stored body as a
 * 206, or a 416 when the range cannot be satisfied. {@link #of(Lookup)} returns null whenever the whole stored
 * response is the answer: no {@code Range}, a stored status other than 200. A request with a {@code Range} in any
 * other form, or with {@code If-Range}, is never answered from the entry ({@link ByteRanges#answerable}).
 *
 * @param status        206 or 416
 * @param contentRange  the {@code Content-Range} to send: {@code bytes first-last/length} or {@code bytes *}{@code /length}
 * @param first         the first byte of the stored body to send (206)
 * @param length        how many bytes to send: the {@code Content-Length}; 0 for a 416
 */
public record RangeAnswer(int status, String contentRange, long first, long length) {

    /** The answer to the request of {@code hit} from its entry, or null for the whole stored response. */
    public static RangeAnswer of(Lookup hit) {
        if (hit.outcome() != Lookup.Outcome.HIT) {
            return null;
        }
        CacheRequest request = hit.request();
        String range = request.header("Range");
        // A range the entry cannot answer as the application would went to it (OriginPreconditions).
        if (range == null || !ByteRanges.answerable(request.method(), range, request.header("If-Range"))) {
            return null;
        }
        return ByteRanges.answer(range, hit.entry().status(), hit.entry().bodyLength());
    }

    /** Wraps {@code out} so that writing the whole stored body through it sends only this range's bytes. */
    public OutputStream slice(OutputStream out) {
        return new Slice(out, first, length);
    }

    /** Passes on the bytes at positions {@code first} to {@code first + length - 1} of what is written, no copy. */
    private static final class Slice extends FilterOutputStream {
        private final long first;
        private final long end;
        private long position;

        Slice(OutputStream out, long first, long length) {
            super(out);
            this.first = first;
            this.end = first + length;
        }

        @Override
        public void write(int b) throws IOException {
            if (position >= first && position < end) {
                out.write(b);
            }
            position++;
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            long from = Math.max(position, first);
            long to = Math.min(position + count, end);
            if (from < to) {
                out.write(bytes, offset + (int) (from - position), (int) (to - from));
            }
            position += count;
        }
    }
}
