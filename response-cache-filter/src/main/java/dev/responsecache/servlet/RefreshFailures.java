package dev.responsecache.servlet;

import jakarta.servlet.ServletException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background refreshes that failed: the servlet threw, or the container refused what it did
 * ({@link RefreshForwards.Refused}). Such a failure is that key's, the application's or the container's, and not the
 * cache's: the stale entry answers until its window ends and every other key is cached as before, so it is kept
 * apart from the filter's {@code FaultLog}, whose episode says the cache is serving uncached (and would swallow the
 * warning of a real cache fault meanwhile). The first failure is a warning with its stack trace; later ones are
 * summarised at most once a minute, and every one is counted ({@code responsecache.refresh.failures}, by what it
 * threw: past the {@code ServletException} a runtime such as Jersey wraps an application's exception in). Uses the
 * monotonic clock: log cadence is not cache time.
 */
final class RefreshFailures {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    private static final long SUMMARY_INTERVAL = TimeUnit.MINUTES.toNanos(1);

    private final LongSupplier nanoTime;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong();

    RefreshFailures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /**
     * The refresh of {@code path} (no query: it may carry credentials) failed with {@code failure}; {@code counted}
     * hears of it too (the cache's metrics), with the failure unwrapped.
     */
    void failed(String path, Throwable failure, Consumer<Throwable> counted) {
        logged(path, failure);
        counted.accept(unwrapped(failure));
    }

    private void logged(String path, Throwable failure) {
        long count = failures.incrementAndGet();
        long now = nanoTime.getAsLong();
        if (count == 1) {
            lastReport.set(now);
            LOG.warn("background refresh of " + path + " failed; its stale entry answers until its"
                    + " stale-while-revalidate window ends", failure);
            return;
        }
        long last = lastReport.get();
        if (now - last >= SUMMARY_INTERVAL && lastReport.compareAndSet(last, now)) {
            LOG.warn(count + " background refreshes failed so far, latest of " + path + ": " + failure);
        }
    }

    /** What the application threw, where a runtime or the container wrapped it in a {@code ServletException}. */
    static Throwable unwrapped(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; depth < 8 && cause instanceof ServletException wrapped && wrapped.getRootCause() != null;
                depth++) {
            cause = wrapped.getRootCause();
        }
        return cause;
    }
}
