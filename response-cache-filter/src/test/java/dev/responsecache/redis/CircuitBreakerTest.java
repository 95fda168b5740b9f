package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The breaker on a moved monotonic clock: what opens it, what keeps it open, what closes it, and what it reports. */
class CircuitBreakerTest {

    private static final long WINDOW = TimeUnit.SECONDS.toNanos(10);
    private static final long SLOW = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long COOL_DOWN = TimeUnit.SECONDS.toNanos(1);
    private static final long FAST = TimeUnit.MILLISECONDS.toNanos(1);

    /** Starts far from zero, as System.nanoTime may. */
    private final AtomicLong now = new AtomicLong(Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(30));
    private final List<String> changes = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(WINDOW, 10, SLOW, COOL_DOWN, now::get,
            new CircuitBreaker.Listener() {
                @Override
                public void opened(int calls, int bad) {
                    changes.add("opened " + bad + "/" + calls);
                }

                @Override
                public void closed(long openNanos) {
                    changes.add("closed after " + TimeUnit.NANOSECONDS.toMillis(openNanos) + " ms");
                }
            });

    private void call(long tookNanos, boolean failed) {
        assertTrue(breaker.allowsCall());
        long start = breaker.start();
        now.addAndGet(tookNanos);
        if (failed) {
            breaker.failed(start);
        } else {
            breaker.answered(start);
        }
    }

    @Test
    void healthyCallsKeepItClosed() {
        for (int i = 0; i < 1000; i++) {
            call(FAST, false);
        }
        assertFalse(breaker.isOpen());
        assertTrue(changes.isEmpty());
    }

    @Test
    void threeFailuresInARowOpenItAtOnce() {
        call(FAST, true);
        call(FAST, true);
        assertFalse(breaker.isOpen());
        call(FAST, true);
        assertTrue(breaker.isOpen());
        assertFalse(breaker.allowsCall());
        assertEquals(List.of("opened 3/3"), changes);
    }

    /** The old breaker counted consecutive failures only: a success in between reset it, and it never opened. */
    @Test
    void slowAnswersOpenItAlthoughEveryCallSucceeds() {
        for (int i = 0; i < 9; i++) {
            call(TimeUnit.MILLISECONDS.toNanos(100), false);
            assertFalse(breaker.isOpen(), "too few calls to judge yet");
        }
        call(TimeUnit.MILLISECONDS.toNanos(100), false);
        assertTrue(breaker.isOpen());
        assertEquals(List.of("opened 10/10"), changes);
    }

    @Test
    void intermittentFailuresBetweenSuccessesOpenItByRate() {
        for (int i = 0; i < 10; i++) {
            call(FAST, i % 2 == 0);
        }
        assertTrue(breaker.isOpen());
    }

    @Test
    void aFewBadCallsAmongManyGoodOnesDoNotOpenIt() {
        for (int i = 0; i < 100; i++) {
            call(FAST, false);
            if (i % 10 == 0) {
                call(SLOW * 2, false);
                call(FAST, true);
            }
        }
        assertFalse(breaker.isOpen());
    }

    @Test
    void badCallsOlderThanTheWindowAreForgotten() {
        for (int i = 0; i < 9; i++) {
            call(SLOW * 2, false);
        }
        now.addAndGet(WINDOW);
        for (int i = 0; i < 9; i++) {
            call(FAST, false);
        }
        call(SLOW * 2, false);
        assertFalse(breaker.isOpen(), "1 bad call of 10 in the window");
    }

    @Test
    void refusesCallsForTheCoolDownThenLetsExactlyOneProbeThrough() {
        openIt();
        now.addAndGet(COOL_DOWN - 1);
        assertFalse(breaker.allowsCall());
        now.addAndGet(1);
        assertTrue(breaker.allowsCall());
        assertFalse(breaker.allowsCall());
        assertFalse(breaker.allowsCall());
    }

    @Test
    void goodProbeClosesItAndSaysSoOnce() {
        openIt();
        now.addAndGet(COOL_DOWN);
        call(FAST, false);
        assertFalse(breaker.isOpen());
        assertTrue(breaker.allowsCall());
        assertEquals(List.of("opened 3/3", "closed after 1001 ms"), changes);
    }

    @Test
    void slowProbeKeepsItOpenForAnotherCoolDownWithoutANewWarning() {
        openIt();
        now.addAndGet(COOL_DOWN);
        call(SLOW * 2, false);
        assertTrue(breaker.isOpen());
        now.addAndGet(COOL_DOWN - 1);
        assertFalse(breaker.allowsCall());
        now.addAndGet(1);
        assertTrue(breaker.allowsCall());
        assertEquals(List.of("opened 3/3"), changes);
    }

    @Test
    void callsUnderWayWhenItOpenedDoNotCloseIt() {
        long earlier = breaker.start();
        openIt();
        now.addAndGet(COOL_DOWN);
        assertTrue(breaker.allowsCall());
        breaker.answered(earlier);
        assertTrue(breaker.isOpen(), "not the probe's answer");
    }

    @Test
    void aProbeThatNeverReportsDoesNotKeepItOpenForever() {
        openIt();
        now.addAndGet(COOL_DOWN);
        assertTrue(breaker.allowsCall());
        now.addAndGet(COOL_DOWN);
        assertTrue(breaker.allowsCall());
    }

    @Test
    void openNowOpensWithOneReport() {
        breaker.openNow();
        breaker.openNow();
        assertTrue(breaker.isOpen());
        assertEquals(List.of("opened 0/0"), changes);
    }

    private void openIt() {
        for (int i = 0; i < CircuitBreaker.CONSECUTIVE_FAILURES; i++) {
            call(FAST, true);
        }
        assertTrue(breaker.isOpen());
    }
}
