package dev.responsecache.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.testing.LogCapture;

import jakarta.servlet.ServletException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

/**
 * A failed refresh is that key's: one warning, then a summary at most once a minute, on a clock the test moves; every
 * failure counted.
 */
class RefreshFailuresTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RefreshFailures failures = new RefreshFailures(now::get);
    private final List<Throwable> counted = new ArrayList<>();

    @Test
    void firstFailureWarnsThenFailuresAreSummarisedOnceAMinute() {
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            failures.failed("/reports/garden", new IllegalStateException("Committed"), counted::add);
            for (int i = 0; i < 20; i++) {
                now.addAndGet(Duration.ofSeconds(1).toNanos());
                failures.failed("/reports/tools", new IllegalStateException("Committed"), counted::add);
            }
            assertEquals(List.of("background refresh of /reports/garden failed; its stale entry answers until its"
                    + " stale-while-revalidate window ends"), log.messagesAtLeast(Level.WARNING));

            now.addAndGet(Duration.ofMinutes(1).toNanos());
            failures.failed("/reports/kitchen", new IllegalStateException("Committed"), counted::add);
            failures.failed("/reports/kitchen", new IllegalStateException("Committed"), counted::add);
            assertEquals(List.of("22 background refreshes failed so far, latest of /reports/kitchen:"
                    + " java.lang.IllegalStateException: Committed"),
                    log.messagesAtLeast(Level.WARNING).subList(1, 2));
            assertEquals(2, log.messagesAtLeast(Level.WARNING).size());
            assertEquals(23, counted.size(), "every failure is counted, whether logged or summarised");
        }
    }

    /** Jersey hands an exception no mapper maps to the container in a ServletException: counted by what it wraps. */
    @Test
    void failureIsCountedByWhatTheServletExceptionWraps() {
        IllegalStateException thrown = new IllegalStateException("backend down");
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            failures.failed("/reports/garden", new ServletException(new ServletException(thrown)), counted::add);
            assertEquals(1, log.messagesAtLeast(Level.WARNING).size());
        }
        assertEquals(List.of(thrown), counted);
    }
}
