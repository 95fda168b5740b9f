package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.testing.Threads;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class InFlightTest {

    private final InFlight inFlight = new InFlight(TimeUnit.SECONDS.toNanos(30), System::nanoTime);

    @Test
    void requestThatReadTheStoreBeforeTheLeaderFinishedReadsItAgainInsteadOfLeading() {
        long readBeforeRelease = inFlight.generation();
        InFlight.Claim leader = inFlight.leadOrWait("k", readBeforeRelease);
        assertNotNull(leader);
        inFlight.release("k", leader);
        assertNull(inFlight.leadOrWait("k", readBeforeRelease), "its miss predates the stored entry");
        assertNotNull(inFlight.leadOrWait("k", inFlight.generation()), "a miss read after the release leads");
    }

    @Test
    void releaseOfAnotherKeyDoesNotStopALeader() {
        long seen = inFlight.generation();
        inFlight.release("other", inFlight.leadOrWait("other", seen));
        assertNotNull(inFlight.leadOrWait("k", seen));
    }

    @Test
    void abandonedClaimIsTakenOverOnceItIsOlderThanTheMaximumWait() throws Exception {
        AtomicLong now = new AtomicLong(Long.MAX_VALUE - TimeUnit.MINUTES.toNanos(1));
        InFlight timed = new InFlight(TimeUnit.SECONDS.toNanos(30), now::get);
        InFlight.Claim first = timed.leadOrWait("k", timed.generation());
        assertNotNull(first);
        now.addAndGet(TimeUnit.SECONDS.toNanos(30));
        // From another thread (the same thread would meet its own claim): no wait, the old claim is taken over.
        InFlight.Claim second = CompletableFuture.supplyAsync(() -> timed.leadOrWait("k", timed.generation()))
                .get(60, TimeUnit.SECONDS);
        assertNotNull(second, "a claim older than the maximum wait is taken over");
        assertNotSame(first, second);
    }

    @Test
    void followerIsHandedTheEntryItsLeaderStoredInsteadOfReadingTheStoreAgain() throws Exception {
        InFlight.Claim leader = inFlight.leadOrWait("k", inFlight.generation());
        long seen = inFlight.generation();
        CompletableFuture<InFlight.Turn> follower = CompletableFuture.supplyAsync(() -> inFlight.take("k", seen));
        Threads.awaitWaitingIn(InFlight.class.getName(), 1);
        CacheEntry stored = new CacheEntry("k", 200, List.of(), new byte[] {1}, 0, 60_000, List.of());
        inFlight.release("k", leader, stored);
        InFlight.Turn turn = follower.get(60, TimeUnit.SECONDS);
        assertNull(turn.lead());
        assertSame(stored, turn.handed());
    }

    @Test
    void requestMeetingItsOwnClaimDoesNotWaitForItself() {
        InFlight.Claim outer = inFlight.leadOrWait("k", inFlight.generation());
        assertNotNull(outer);
        assertNull(inFlight.leadOrWait("k", inFlight.generation()), "same thread: neither leads nor waits 30 s");
    }
}
