package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.LogCapture;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

/** A failed refresh is that key's: one warning, then a summary at most once a minute, on a clock the test moves. */
class RefreshFailuresTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RefreshFailures failures = new RefreshFailures(now::get);

    @Test
    void firstFailureWarnsThenFailuresAreSummarisedOnceAMinute() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            failures.failed("/reports/garden", new IllegalStateException("Committed"));
            for (int i = 0; i < 20; i++) {
                now.addAndGet(Duration.ofSeconds(1).toNanos());
                failures.failed("/reports/tools", new IllegalStateException("Committed"));
            }
            assertEquals(List.of("background refresh of /reports/garden failed; its stale entry answers until its"
                    + " stale-while-revalidate window ends"), log.messagesAtLeast(Level.WARNING));

            now.addAndGet(Duration.ofMinutes(1).toNanos());
            failures.failed("/reports/kitchen", new IllegalStateException("Committed"));
            failures.failed("/reports/kitchen", new IllegalStateException("Committed"));
            assertEquals(List.of("22 background refreshes failed so far, latest of /reports/kitchen:"
                    + " java.lang.IllegalStateException: Committed"),
                    log.messagesAtLeast(Level.WARNING).subList(1, 2));
            assertEquals(2, log.messagesAtLeast(Level.WARNING).size());
        }
    }
}
