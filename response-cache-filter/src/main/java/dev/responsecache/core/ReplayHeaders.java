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
    /** The last hit's status line after stored members: immutable, so a racing reader sees one whole or another. */
    private static volatile Joined lastJoined;

    private record Joined(String upstream, Header ours, Header joined) {
    }

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

    /**
     * {@code ours} after the stored members of caches nearer the origin: the line of the last such hit when it is
     * the same (a busy entry's hits within a second), so that they format nothing, and Jetty's pre-encoded copy of
     * the line ({@code JettyHitFields}) is reused too.
     */
    static Header hitStatus(String upstream, Header ours) {
        Joined last = lastJoined;
        if (last != null && last.ours() == ours && last.upstream().equals(upstream)) {
            return last.joined();
        }
        Header joined = new Header(ours.name(), upstream + ", " + ours.value());
        lastJoined = new Joined(upstream, ours, joined);
        return joined;
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
