package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final long COOL_DOWN = TimeUnit.SECONDS.toNanos(1);

    /** Starts far from zero, as System.nanoTime may. */
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(3));
    private final CircuitBreaker breaker = new CircuitBreaker(3, COOL_DOWN, now::get);

    @Test
    void staysClosedBelowTheThreshold() {
        breaker.failed();
        breaker.failed();
        assertTrue(breaker.allowsCall());
        assertFalse(breaker.isOpen());
    }

    @Test
    void aSuccessResetsTheCountOfConsecutiveFailures() {
        breaker.failed();
        breaker.failed();
        breaker.succeeded();
        breaker.failed();
        breaker.failed();
        assertTrue(breaker.allowsCall());
    }

    @Test
    void opensAtTheThresholdAndRefusesCallsForTheCoolDown() {
        openIt();
        assertTrue(breaker.isOpen());
        assertFalse(breaker.allowsCall());
        now.addAndGet(COOL_DOWN - 1);
        assertFalse(breaker.allowsCall());
    }

    @Test
    void letsExactlyOneProbeThroughAfterTheCoolDown() {
        openIt();
        now.addAndGet(COOL_DOWN);
        assertTrue(breaker.allowsCall());
        assertFalse(breaker.allowsCall());
        assertFalse(breaker.allowsCall());
    }

    @Test
    void successfulProbeClosesIt() {
        openIt();
        now.addAndGet(COOL_DOWN);
        assertTrue(breaker.allowsCall());
        breaker.succeeded();
        assertFalse(breaker.isOpen());
        assertTrue(breaker.allowsCall());
        assertTrue(breaker.allowsCall());
    }

    @Test
    void failedProbeOpensItForAnotherCoolDown() {
        openIt();
        now.addAndGet(COOL_DOWN);
        assertTrue(breaker.allowsCall());
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(200));
        breaker.failed();
        now.addAndGet(COOL_DOWN - 1);
        assertFalse(breaker.allowsCall());
        now.addAndGet(1);
        assertTrue(breaker.allowsCall());
    }

    @Test
    void aProbeThatNeverReportsDoesNotKeepItOpenForever() {
        openIt();
        now.addAndGet(COOL_DOWN);
        assertTrue(breaker.allowsCall());
        now.addAndGet(COOL_DOWN);
        assertTrue(breaker.allowsCall());
    }

    private void openIt() {
        breaker.failed();
        breaker.failed();
        breaker.failed();
    }
}
