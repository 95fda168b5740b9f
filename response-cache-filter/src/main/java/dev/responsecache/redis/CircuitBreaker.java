package dev.responsecache.redis;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Stops calls to a server that keeps failing, so that requests do not each wait out a timeout while it is down.
 * After {@code threshold} consecutive failures it opens: calls are refused for the cool-down, then one call is let
 * through as a probe; its success closes the breaker, its failure opens it for another cool-down. Times come from
 * a monotonic nanosecond source ({@code System::nanoTime} in production).
 */
final class CircuitBreaker {

    private final int threshold;
    private final long coolDownNanos;
    private final LongSupplier nanoTime;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong retryAt = new AtomicLong();

    CircuitBreaker(int threshold, long coolDownNanos, LongSupplier nanoTime) {
        if (threshold <= 0 || coolDownNanos <= 0) {
            throw new IllegalArgumentException("threshold and cool-down must be positive: " + threshold + ", "
                    + coolDownNanos);
        }
        this.threshold = threshold;
        this.coolDownNanos = coolDownNanos;
        this.nanoTime = nanoTime;
    }

    /** Whether a call may go to the server now. While open, true for one caller per cool-down: the probe. */
    boolean allowsCall() {
        if (failures.get() < threshold) {
            return true;
        }
        long at = retryAt.get();
        long now = nanoTime.getAsLong();
        // The caller that moves the retry time on is the probe; the others keep away until the next one.
        return now - at >= 0 && retryAt.compareAndSet(at, now + coolDownNanos);
    }

    void succeeded() {
        // Read before writing: on the hot path the count is already zero, and a plain read does not contend.
        if (failures.get() != 0) {
            failures.set(0);
        }
    }

    void failed() {
        if (failures.incrementAndGet() >= threshold) {
            retryAt.set(nanoTime.getAsLong() + coolDownNanos);
        }
    }

    boolean isOpen() {
        return failures.get() >= threshold;
    }
}
