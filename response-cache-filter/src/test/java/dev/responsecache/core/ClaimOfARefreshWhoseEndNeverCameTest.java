package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * A stale-while-revalidate refresh's claim whose end depended on an event that never came (an asynchronous cycle's
 * end, which Jetty does not report once a dispatch of a completed response throws) stood until the end of the entry's
 * window, and with coalescing off for good: no other refresh of the key was tried. It now ends within the bound its
 * holder gives ({@link InFlight.Claim#endsWithin}), after which the next refresh takes it over and the holder hears of
 * it once. Time is the injected monotonic source.
 */
class ClaimOfARefreshWhoseEndNeverCameTest {

    private static final long WAIT = TimeUnit.SECONDS.toNanos(5);
    private static final long WINDOW = TimeUnit.SECONDS.toNanos(600);
    private static final long ASYNC_TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    private final AtomicLong now = new AtomicLong(TimeUnit.DAYS.toNanos(1));
    private final AtomicInteger lapses = new AtomicInteger();

    @Test
    void refreshWhoseEndMayNeverComeIsTakenOverPastItsBoundAndItsHolderToldOnce() {
        InFlight flight = new InFlight(WAIT, now::get);
        InFlight.Claim first = flight.tryLead("k", flight.generation(), WINDOW);
        first.endsWithin(now.get(), ASYNC_TIMEOUT, lapses::incrementAndGet);

        now.addAndGet(ASYNC_TIMEOUT - 1);
        assertNull(flight.tryLead("k", flight.generation(), WINDOW), "stands within its bound");
        now.addAndGet(1);
        InFlight.Claim second = flight.tryLead("k", flight.generation(), WINDOW);
        assertNotNull(second, "taken over at its bound, long before the window ends");
        assertEquals(1, lapses.get(), "its holder hears of it");
        assertSame(first, second.tookOverLapsed(), "its successor releases its lease");
        assertNull(second.tookOverLapsed(), "once");

        flight.release("k", first);
        assertEquals(1, lapses.get(), "a late end changes nothing");
    }

    @Test
    void refreshThatEndsWithinItsBoundIsNeverReportedAsLapsed() {
        InFlight flight = new InFlight(WAIT, now::get);
        InFlight.Claim first = flight.tryLead("k", flight.generation(), WINDOW);
        first.endsWithin(now.get(), ASYNC_TIMEOUT, lapses::incrementAndGet);
        flight.release("k", first);
        now.addAndGet(WINDOW);
        InFlight.Claim second = flight.tryLead("k", flight.generation(), WINDOW);
        assertNotNull(second);
        assertNull(second.tookOverLapsed());
        assertEquals(0, lapses.get());
    }

    @Test
    void withCoalescingOffARefreshClaimNeverReleasedWasNeverTakenOver() {
        InFlight flight = new InFlight(0, now::get);
        InFlight.Claim first = flight.tryLead("k", flight.generation(), WINDOW);
        assertNotNull(first);
        now.addAndGet(WINDOW - 1);
        assertNull(flight.tryLead("k", flight.generation(), WINDOW), "stands for its window");
        now.addAndGet(1);
        assertNotNull(flight.tryLead("k", flight.generation(), WINDOW), "then lapses, as with coalescing on");
    }

    @Test
    void boundOfAnEventThatMayNeverComeIsNoLessThanTheWaitNorPastTheWindow() {
        InFlight flight = new InFlight(WAIT, now::get);
        InFlight.Claim first = flight.tryLead("k", flight.generation(), WINDOW);
        first.endsWithin(now.get(), 1, lapses::incrementAndGet);
        now.addAndGet(WAIT - 1);
        assertNull(flight.tryLead("k", flight.generation(), WINDOW), "a claim stands for coalesce-wait at least");
        now.addAndGet(1);
        assertNotNull(flight.tryLead("k", flight.generation(), WINDOW));

        InFlight.Claim longer = flight.tryLead("j", flight.generation(), WINDOW);
        longer.endsWithin(now.get(), 2 * WINDOW, lapses::incrementAndGet);
        now.addAndGet(WINDOW);
        assertNotNull(flight.tryLead("j", flight.generation(), WINDOW), "never past its first bound, the window");
        assertEquals(2, lapses.get());
    }

    @Test
    void laterCycleWithoutATimeoutGivesTheClaimItsWindowBack() {
        InFlight flight = new InFlight(WAIT, now::get);
        InFlight.Claim refresh = flight.tryLead("k", flight.generation(), WINDOW);
        refresh.endsWithin(now.get(), ASYNC_TIMEOUT, lapses::incrementAndGet);
        now.addAndGet(ASYNC_TIMEOUT / 2);
        refresh.endsWithin(now.get(), Long.MAX_VALUE, () -> { });
        now.addAndGet(WINDOW - ASYNC_TIMEOUT / 2 - 1);
        assertNull(flight.tryLead("k", flight.generation(), WINDOW), "stands for its window again");
        now.addAndGet(1);
        assertNotNull(flight.tryLead("k", flight.generation(), WINDOW));
        assertEquals(0, lapses.get(), "the holder said the window was its own");
    }

    @Test
    void missTakingOverARefreshWithinItsBoundIsNoLapse() {
        InFlight flight = new InFlight(WAIT, now::get);
        InFlight.Claim refresh = flight.tryLead("k", flight.generation(), WINDOW);
        refresh.endsWithin(now.get(), ASYNC_TIMEOUT, lapses::incrementAndGet);
        now.addAndGet(WAIT);
        // Another request's thread: a request never waits for its own claim.
        assertNotNull(CompletableFuture.supplyAsync(() -> flight.leadOrWait("k", flight.generation())).join(),
                "a miss takes any claim over after the wait");
        assertEquals(0, lapses.get(), "the refresh may still run: nothing is reported");
    }
}
