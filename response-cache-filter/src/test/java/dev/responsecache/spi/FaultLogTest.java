package dev.responsecache.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.LogCapture;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One warning per episode, on a monotonic clock the test moves. */
class FaultLogTest {

    private static final Logger LOGGER = Logger.getLogger("dev.responsecache");

    private final AtomicLong now = new AtomicLong(1_000);
    private final FaultLog log = new FaultLog("session reads", now::get);
    private Level previous;
    private LogCapture captured;

    @BeforeEach
    void captureInfo() {
        previous = LOGGER.getLevel();
        LOGGER.setLevel(Level.INFO);
        captured = LogCapture.of("dev.responsecache");
    }

    @AfterEach
    void restore() {
        captured.close();
        LOGGER.setLevel(previous);
    }

    private void advance(Duration duration) {
        now.addAndGet(duration.toNanos());
    }

    private List<String> lines() {
        return captured.messagesAtLeast(Level.INFO);
    }

    /**
     * The same read failing for some requests and working for others (a session store down for the sessions it
     * holds): every success ended the episode, so each failure after it logged "recovered" and a new warning with
     * its stack trace, a pair per request.
     */
    @Test
    void readThatFailsForSomeRequestsAndWorksForOthersIsOneEpisodeNotARecoveryAndAWarningPerRequest() {
        for (int i = 0; i < 30; i++) {
            log.failed(new IllegalStateException("down " + i));
            assertEquals(1, log.failuresSinceSuccess());
            advance(Duration.ofSeconds(1));
            log.succeeded();
            assertEquals(0, log.failuresSinceSuccess(), "a success still counts for the store's health");
            advance(Duration.ofSeconds(1));
        }
        assertEquals(List.of("session reads failed; serving uncached until it recovers"), lines());
    }

    @Test
    void episodeEndsAtASuccessAMinuteAfterItsLatestFault() {
        log.failed(new IllegalStateException("down"));
        log.failed(new IllegalStateException("down"));
        advance(Duration.ofSeconds(59));
        log.succeeded();
        assertEquals(1, lines().size(), "a success soon after a fault does not end the episode: " + lines());
        advance(Duration.ofSeconds(1));
        log.succeeded();
        assertEquals("session reads recovered after 2 failed calls", lines().get(1));
        log.succeeded();
        assertEquals(2, lines().size(), "said once");
        log.failed(new IllegalStateException("down again"));
        assertEquals(3, lines().size());
        assertTrue(lines().get(2).startsWith("session reads failed"), "a new episode: " + lines());
    }

    @Test
    void faultThatLastsIsSummarisedAtMostOnceAMinute() {
        log.failed(new IllegalStateException("down"));
        for (int i = 0; i < 120; i++) {
            advance(Duration.ofSeconds(1));
            log.succeeded();
            log.failed(new IllegalStateException("down"));
        }
        List<String> lines = lines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("session reads still failing: 61 failed calls so far"), lines.get(1));
        assertTrue(lines.get(2).startsWith("session reads still failing: 121 failed calls so far"), lines.get(2));
    }

    /**
     * A call that succeeds rarely (a subscription made again a second after its fault) never succeeded a minute after
     * a fault, so its episode never ended: an outage weeks later was a "still failing" line with no stack trace.
     */
    @Test
    void faultLongAfterARareSuccessStartsANewEpisodeWithItsOwnWarning() {
        log.failed(new IllegalStateException("down"));
        advance(Duration.ofSeconds(1));
        log.succeeded();
        advance(Duration.ofHours(1));
        log.failed(new IllegalStateException("down again"));
        assertEquals(List.of("session reads failed; serving uncached until it recovers",
                "session reads recovered after 1 failed calls",
                "session reads failed; serving uncached until it recovers"), lines());
        assertEquals(1, log.failuresSinceSuccess());
    }

    @Test
    void faultsAMinuteApartWithNoSuccessBetweenAreOneEpisode() {
        log.failed(new IllegalStateException("down"));
        advance(Duration.ofHours(1));
        log.failed(new IllegalStateException("still down"));
        assertEquals(2, lines().size(), lines().toString());
        assertTrue(lines().get(1).startsWith("session reads still failing: 2 failed calls so far"), lines().get(1));
    }

    /**
     * A null subject, text or clock was taken without a word: the first warning of an outage read "null failed;
     * null", or the first fault's report failed. Each is refused where the log is made, naming the argument.
     */
    @Test
    void nullSubjectMeanwhileOrClockWasTakenAndShowedOnlyAtTheFirstFault() {
        LongSupplier clock = now::get;
        assertTrue(assertThrows(NullPointerException.class, () -> new FaultLog(null)).getMessage()
                .startsWith("FaultLog subject is null"));
        assertTrue(assertThrows(NullPointerException.class, () -> new FaultLog(null, clock)).getMessage()
                .startsWith("FaultLog subject is null"));
        assertTrue(assertThrows(NullPointerException.class, () -> new FaultLog(null, "waiting", clock))
                .getMessage().startsWith("FaultLog subject is null"));
        assertTrue(assertThrows(NullPointerException.class, () -> new FaultLog("Tag index", null, clock))
                .getMessage().startsWith("FaultLog meanwhile is null: say what is done until 'Tag index' recovers"));
        assertTrue(assertThrows(NullPointerException.class, () -> new FaultLog("Tag index", (LongSupplier) null))
                .getMessage().startsWith("FaultLog nanoTime is null for 'Tag index'"));
        assertTrue(assertThrows(NullPointerException.class, () -> new FaultLog("Tag index", "waiting", null))
                .getMessage().startsWith("FaultLog nanoTime is null for 'Tag index'"));
        assertEquals(List.of(), lines(), "nothing logged");
    }
}
