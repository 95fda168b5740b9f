package dev.responsecache.redis;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Stops calls to a server that fails or answers slowly, so that requests neither wait out a timeout each while it is
 * down nor queue behind it while it crawls. It judges calls over a sliding window ({@link #BUCKETS} buckets spanning
 * the window): it opens when at least {@code minCalls} calls fell in the window and at least half of them were bad
 * (failed, or took longer than the slow-call threshold), or at once after {@link #CONSECUTIVE_FAILURES} failures in a
 * row (a dead or hung server, found before the window fills). Open, it refuses calls for the cool-down, then lets one
 * call through as a probe: a good probe closes it, a bad one opens it for another cool-down. Times come from an
 * injected monotonic nanosecond source.
 *
 * <p>Only state changes are reported, to the {@link Listener}: one "opened" per outage, one "closed" per recovery.
 */
final class CircuitBreaker {

    static final int BUCKETS = 10;
    static final int CONSECUTIVE_FAILURES = 3;
    /** Half or more of the calls in the window were bad. */
    private static final int BAD_PERCENT = 50;

    /** Told of state changes, under the breaker's lock: keep it quick (a log line). */
    interface Listener {
        void opened(int calls, int bad);

        void closed(long openNanos);
    }

    private final long bucketNanos;
    private final int minCalls;
    private final long slowNanos;
    private final long coolDownNanos;
    private final LongSupplier nanoTime;
    private final Listener listener;
    /**
     * Guards the window and the probe. A lock, not a monitor: every Redis call enters it, contended under load, and
     * the listener logs under it; a virtual request thread that blocks entering a monitor (or inside one) pins its
     * carrier thread on Java 21 to 23, one parked on this lock does not.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final int[] calls = new int[BUCKETS];
    private final int[] bad = new int[BUCKETS];
    private final long[] bucketStart = new long[BUCKETS];
    private int consecutiveFailures;
    private volatile boolean open;
    private long openedAt;
    private long retryAt;
    private long probeStartedAt;
    private boolean probing;

    CircuitBreaker(long windowNanos, int minCalls, long slowNanos, long coolDownNanos, LongSupplier nanoTime,
                   Listener listener) {
        if (windowNanos < BUCKETS || minCalls <= 0 || slowNanos <= 0 || coolDownNanos <= 0) {
            throw new IllegalArgumentException("window, minimum calls, slow-call threshold and cool-down must be"
                    + " positive: " + windowNanos + ", " + minCalls + ", " + slowNanos + ", " + coolDownNanos);
        }
        this.bucketNanos = windowNanos / BUCKETS;
        this.minCalls = minCalls;
        this.slowNanos = slowNanos;
        this.coolDownNanos = coolDownNanos;
        this.nanoTime = nanoTime;
        this.listener = listener;
        long now = nanoTime.getAsLong();
        for (int i = 0; i < BUCKETS; i++) {
            bucketStart[i] = now - bucketNanos * BUCKETS;
        }
    }

    /** The time a call starts, to hand back to {@link #record}. */
    long start() {
        return nanoTime.getAsLong();
    }

    /** Whether a call may go to the server now. While open, true for one caller per cool-down: the probe. */
    boolean allowsCall() {
        if (!open) {
            return true;
        }
        lock.lock();
        try {
            if (!open) {
                return true;
            }
            long now = nanoTime.getAsLong();
            // A probe that never reports (its thread died) does not keep the breaker open: the next cool-down ends it.
            if (now - retryAt < 0) {
                return false;
            }
            retryAt = now + coolDownNanos;
            probing = true;
            probeStartedAt = now;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Opens the breaker now: the server did not answer when the store started. */
    void openNow() {
        lock.lock();
        try {
            if (!open) {
                open(nanoTime.getAsLong(), 0, 0);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens the breaker now without telling the listener: the server was already judged down, and reported, by the
     * breaker of the store this one replaces (the same server, the same outage). Its recovery is reported as usual.
     */
    void openReported() {
        lock.lock();
        try {
            if (!open) {
                long now = nanoTime.getAsLong();
                open = true;
                openedAt = now;
                retryAt = now + coolDownNanos;
                probing = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records a call that got an answer (any reply: an error reply is the server answering). */
    void answered(long startedAt) {
        record(startedAt, false);
    }

    /** Records a call that got no answer: a refused connection, a timeout. */
    void failed(long startedAt) {
        record(startedAt, true);
    }

    private void record(long startedAt, boolean failed) {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            boolean slow = now - startedAt > slowNanos;
            if (open) {
                if (probing && startedAt - probeStartedAt >= 0) {
                    // The probe's verdict; calls that were already under way when the breaker opened do not count.
                    probing = false;
                    if (failed || slow) {
                        retryAt = now + coolDownNanos;
                    } else {
                        close(now);
                    }
                }
                return;
            }
            consecutiveFailures = failed ? consecutiveFailures + 1 : 0;
            int index = bucket(now);
            calls[index]++;
            if (failed || slow) {
                bad[index]++;
            }
            int windowCalls = 0;
            int windowBad = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (now - bucketStart[i] < bucketNanos * BUCKETS) {
                    windowCalls += calls[i];
                    windowBad += bad[i];
                }
            }
            if (consecutiveFailures >= CONSECUTIVE_FAILURES
                    || windowCalls >= minCalls && windowBad * 100L >= (long) BAD_PERCENT * windowCalls) {
                open(now, windowCalls, windowBad);
            }
        } finally {
            lock.unlock();
        }
    }

    private void open(long now, int windowCalls, int windowBad) {
        open = true;
        openedAt = now;
        retryAt = now + coolDownNanos;
        probing = false;
        listener.opened(windowCalls, windowBad);
    }

    /** The bucket for {@code now}, emptied first if it last counted an earlier slice of time. */
    private int bucket(long now) {
        long slice = Math.floorDiv(now, bucketNanos);
        int index = (int) Math.floorMod(slice, (long) BUCKETS);
        long start = slice * bucketNanos;
        if (bucketStart[index] != start) {
            bucketStart[index] = start;
            calls[index] = 0;
            bad[index] = 0;
        }
        return index;
    }

    private void close(long now) {
        open = false;
        consecutiveFailures = 0;
        for (int i = 0; i < BUCKETS; i++) {
            calls[i] = 0;
            bad[i] = 0;
        }
        listener.closed(now - openedAt);
    }

    boolean isOpen() {
        return open;
    }
}
