package dev.responsecache.spi;

import java.time.Duration;

/**
 * How long after its expiry an entry may still be used, as HTTP's {@code stale-while-revalidate} and
 * {@code stale-if-error} (RFC 5861) describe: answered at once while one background refresh runs, or answered
 * instead of an error. Both are measured from the original expiry; an entry is kept for the longer of the two and no
 * longer.
 *
 * @param whileRevalidateMillis how long after expiry a request is answered from the entry while it is refreshed
 * @param ifErrorMillis         how long after expiry the entry replaces an error of the method
 */
public record StaleWindows(long whileRevalidateMillis, long ifErrorMillis) {

    /** No stale use at all: an expired entry is a miss, as before these windows existed. */
    public static final StaleWindows NONE = new StaleWindows(0, 0);

    public StaleWindows {
        if (whileRevalidateMillis < 0 || whileRevalidateMillis > CacheEntry.MAX_TTL.toMillis()) {
            throw new IllegalArgumentException("staleWhileRevalidate out of range: " + whileRevalidateMillis + " ms");
        }
        if (ifErrorMillis < 0 || ifErrorMillis > CacheEntry.MAX_TTL.toMillis()) {
            throw new IllegalArgumentException("staleIfError out of range: " + ifErrorMillis + " ms");
        }
    }

    public static StaleWindows of(Duration whileRevalidate, Duration ifError) {
        return new StaleWindows(whileRevalidate.toMillis(), ifError.toMillis());
    }

    /** How long past its expiry an entry is worth keeping. */
    public long retainedPastExpiryMillis() {
        return Math.max(whileRevalidateMillis, ifErrorMillis);
    }
}
