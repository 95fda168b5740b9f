package dev.responsecache.core;

import dev.responsecache.spi.Header;

/**
 * The {@code Age} and {@code Cache-Status} field lines a hit carries, made once per value rather than once per hit:
 * both change once a second, and every hit of a busy entry formats the same few. Values past the table's end are
 * formatted as they come. The tables are filled lazily; a race stores equal values.
 */
final class ReplayHeaders {

    /** An hour of ages and of remaining ttls: the range nearly every hit falls in. */
    private static final int SIZE = 3600;
    private static final Header[] AGES = new Header[SIZE];
    private static final Header[] HIT_STATUSES = new Header[SIZE];

    private ReplayHeaders() {
    }

    static Header age(long seconds) {
        if (seconds >= SIZE) {
            return new Header("Age", Long.toString(seconds));
        }
        Header age = AGES[(int) seconds];
        if (age == null) {
            age = new Header("Age", Long.toString(seconds));
            AGES[(int) seconds] = age;
        }
        return age;
    }

    static Header hitStatus(long ttlSeconds) {
        if (ttlSeconds < 0 || ttlSeconds >= SIZE) {
            return new Header("Cache-Status", Lookup.CACHE_NAME + "; hit; ttl=" + ttlSeconds);
        }
        Header status = HIT_STATUSES[(int) ttlSeconds];
        if (status == null) {
            status = new Header("Cache-Status", Lookup.CACHE_NAME + "; hit; ttl=" + ttlSeconds);
            HIT_STATUSES[(int) ttlSeconds] = status;
        }
        return status;
    }
}
