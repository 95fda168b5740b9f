package dev.responsecache.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a state another thread or process reaches, without sleeping: poll it until it holds, failing only after
 * a deadline far beyond any normal wait, so a loaded machine makes a test slower, never red. Never an assertion on how
 * long something took.
 */
public final class Eventually {

    /** How long each poll parks, at least. */
    public static final Duration POLL = Duration.ofMillis(1);

    private Eventually() {
    }

    /** Returns once {@code condition} holds; fails with {@code failure} if it does not within {@code deadline}. */
    public static void until(BooleanSupplier condition, Duration deadline, Supplier<String> failure) {
        polled(condition, deadline, failure);
    }

    /**
     * Whether {@code condition} comes to hold within {@code wait}: for a step a test repeats while its effect has not
     * shown (asking a server again for something it may have abandoned), not a failure of its own.
     */
    public static boolean within(BooleanSupplier condition, Duration wait) {
        try {
            polled(condition, wait, () -> "not yet");
            return true;
        } catch (AssertionError notYet) {
            return false;
        }
    }

    /**
     * As {@link #until}, and returns how many polls the wait took (each at least {@link #POLL}): a figure to report
     * (say, how soon a near cache saw an eviction), never one to assert on.
     */
    public static long polled(BooleanSupplier condition, Duration deadline, Supplier<String> failure) {
        // Bounded by a number of polls, not by reading a clock: each poll parks at least POLL, and longer on a loaded
        // machine (or while the condition itself runs), so the wait only ever lasts longer than the deadline.
        long polls = Math.max(1, deadline.toNanos() / POLL.toNanos());
        long poll = 0;
        while (!condition.getAsBoolean()) {
            if (poll++ >= polls) {
                fail(failure.get());
            }
            // Parked, not spinning: on a loaded machine with few cores a spinning poll takes a core from the very
            // thread it waits for.
            LockSupport.parkNanos(POLL.toNanos());
        }
        return poll;
    }
}
