package dev.responsecache.spi;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs an outage once rather than once per request: the first fault after a healthy period is a warning with its
 * stack trace, a fault that lasts is summarised at most once a minute, and the first success after faults says how
 * many calls failed. Uses the monotonic clock: log cadence is not cache time.
 */
public final class FaultLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    private static final long SUMMARY_INTERVAL = TimeUnit.MINUTES.toNanos(1);

    private final String subject;
    private final LongSupplier nanoTime;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong();
    private volatile Throwable lastFault;

    public FaultLog(String subject) {
        this(subject, System::nanoTime);
    }

    /** @param nanoTime the monotonic source that paces the summaries (see {@link Ticker}) */
    public FaultLog(String subject, LongSupplier nanoTime) {
        this.subject = subject;
        this.nanoTime = nanoTime;
    }

    public void failed(Throwable fault) {
        lastFault = fault;
        long count = failures.incrementAndGet();
        long now = nanoTime.getAsLong();
        if (count == 1) {
            lastReport.set(now);
            LOG.warn(subject + " failed; serving uncached until it recovers", fault);
            return;
        }
        long last = lastReport.get();
        if (now - last >= SUMMARY_INTERVAL && lastReport.compareAndSet(last, now)) {
            LOG.warn(subject + " still failing: " + count + " failed calls so far, latest: " + fault);
        }
    }

    public void succeeded() {
        if (failures.get() == 0) {
            return;
        }
        long count = failures.getAndSet(0);
        if (count > 0) {
            LOG.info(subject + " recovered after " + count + " failed calls");
        }
    }

    /** The latest fault reported, even if recovered from since, or null. */
    public Throwable lastFault() {
        return lastFault;
    }

    /** Failed calls since the last success. */
    public long failuresSinceSuccess() {
        return failures.get();
    }
}
