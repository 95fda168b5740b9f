package dev.responsecache.core;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * How a hit on a stored 200 answers a {@code Range} request (RFC 9110 section 14): one range of the stored body as a
 * 206, or a 416 when the range cannot be satisfied. {@link #of(Lookup)} returns null whenever the whole stored
 * response is the answer, which RFC 9110 always permits (a server MAY ignore {@code Range}): no {@code Range}, a
 * method other than GET, another unit, a malformed or multiple range set, an {@code If-Range} that does not match, a
 * stored status other than 200.
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
        if (range == null) {
            return null;
        }
        return ByteRanges.answer(request.method(), range, request.header("If-Range"), hit.entry().status(),
                hit.entry().etag(), dev.responsecache.spi.Header.firstValue(hit.entry().headers(), "Last-Modified"),
                date(hit), hit.entry().bodyLength(), hit.nowMillis());
    }

    /**
     * The stored {@code Date}, which tells whether the stored {@code Last-Modified} is strong; without one, in the
     * header-driven mode, the instant the cache reckons the origin generated the response (its stored-at: the
     * request's time less any {@code Age} from upstream). A servlet filter rarely stores the origin's {@code Date}
     * (Jetty sets it before the filter runs, Tomcat after), and that instant is never later than the origin's
     * {@code Date} would have been, so it can find a {@code Last-Modified} weak that the {@code Date} finds strong,
     * never the reverse. The ttl mode's stored-at is when the response was complete, which may be later: there a
     * date never matches (its entries always have a strong {@code ETag}).
     */
    private static String date(Lookup hit) {
        String date = dev.responsecache.spi.Header.firstValue(hit.entry().headers(), "Date");
        if (date != null || !hit.headerDriven()) {
            return date;
        }
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochMilli(hit.entry().storedAtMillis()).atZone(ZoneOffset.UTC));
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
