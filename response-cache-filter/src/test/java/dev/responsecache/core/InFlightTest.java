package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    void abandonedClaimIsTakenOverAfterTheMaximumWait() throws Exception {
        InFlight impatient = new InFlight(0, System::nanoTime);
        InFlight.Claim first = impatient.leadOrWait("k", impatient.generation());
        CompletableFuture<InFlight.Claim> second = CompletableFuture.supplyAsync(
                () -> impatient.leadOrWait("k", impatient.generation()));
        assertNotNull(first);
        assertNotNull(second.get(10, TimeUnit.SECONDS), "a claim older than the maximum wait is taken over");
        assertNotSame(first, second.get());
    }

    @Test
    void requestMeetingItsOwnClaimDoesNotWaitForItself() {
        InFlight.Claim outer = inFlight.leadOrWait("k", inFlight.generation());
        assertNotNull(outer);
        assertNull(inFlight.leadOrWait("k", inFlight.generation()), "same thread: neither leads nor waits 30 s");
    }
}
