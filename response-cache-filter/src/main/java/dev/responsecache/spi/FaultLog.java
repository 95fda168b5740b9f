package dev.responsecache.spi;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs an outage once rather than once per request: the first fault after a healthy period is a warning with its
 * stack trace, a fault that lasts is summarised at most once a minute, and the episode ends, with a line that says how
 * many calls failed, once a success has come and a minute has passed since its latest fault: at that success, or, for
 * a call that succeeds rarely (a subscription made again once), at the next fault, which then starts a new episode
 * with its own warning. A success less than a minute after a fault does not end it on its own: under mixed traffic the
 * same call fails for some requests and works for others (a session store down for the sessions it holds), and ending
 * the episode at each success would log "recovered" and a new warning per request. {@link #failuresSinceSuccess()} is
 * reset by every success all the same. Uses the monotonic clock: log cadence is not cache time.
 */
public final class FaultLog {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    private static final long SUMMARY_INTERVAL = TimeUnit.MINUTES.toNanos(1);
    /** How long after its latest fault a success ends an episode: the cadence of the summaries. */
    private static final long SUSTAINED_RECOVERY = SUMMARY_INTERVAL;

    private final String subject;
    /** What the first warning of an episode says is done meanwhile. */
    private final String meanwhile;
    private final LongSupplier nanoTime;
    /** Failed calls in the current episode; 0 between episodes. */
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong sinceSuccess = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong();
    private volatile long lastFailedAt;
    /** Whether a success came after the latest fault of the current episode. */
    private final AtomicBoolean succeededSinceFault = new AtomicBoolean();
    private volatile Throwable lastFault;

    /** @param subject what fails, first in every line ({@code "Redis store"}: "Redis store failed; ...") */
    public FaultLog(String subject) {
        this(subject, System::nanoTime);
    }

    /**
     * @param subject what fails, first in every line
     * @param nanoTime the monotonic source that paces the summaries (see {@link Ticker})
     */
    public FaultLog(String subject, LongSupplier nanoTime) {
        this(subject, "serving uncached until it recovers", nanoTime);
    }

    /**
     * The two texts in this order: {@code new FaultLog("My store's eviction feed", "near copies unused until it
     * recovers", ticker)} warns "My store's eviction feed failed; near copies unused until it recovers".
     *
     * @param subject what fails, first in every line
     * @param meanwhile what the first warning of an episode says is done until it ends, for a subject whose failure
     *                  does not mean serving uncached
     * @param nanoTime the monotonic source that paces the summaries (see {@link Ticker})
     */
    public FaultLog(String subject, String meanwhile, LongSupplier nanoTime) {
        // Checked here, where the caller is: unchecked, a null subject or text only showed as "null failed; null"
        // in the first warning of an outage, and a null clock failed the first fault's report instead of logging it.
        this.subject = Objects.requireNonNull(subject, "FaultLog subject is null: name what fails, as the warnings"
                + " will (\"Redis store\", \"session reads\")");
        this.meanwhile = Objects.requireNonNull(meanwhile, "FaultLog meanwhile is null: say what is done until '"
                + subject + "' recovers (\"serving uncached until it recovers\")");
        this.nanoTime = Objects.requireNonNull(nanoTime, "FaultLog nanoTime is null for '" + subject
                + "': pass System::nanoTime or the cache's ticker");
    }

    public void failed(Throwable fault) {
        lastFault = fault;
        long now = nanoTime.getAsLong();
        long previous = lastFailedAt;
        if (succeededSinceFault.getAndSet(false) && now - previous >= SUSTAINED_RECOVERY) {
            // The episode ended unnoticed: a success came, then a minute without faults. This fault starts another.
            ended();
        }
        // Written before the count: a success that sees the count sees this fault's time.
        lastFailedAt = now;
        sinceSuccess.incrementAndGet();
        long count = failures.incrementAndGet();
        if (count == 1) {
            lastReport.set(now);
            LOG.warn(subject + " failed; " + meanwhile, fault);
            return;
        }
        long last = lastReport.get();
        if (now - last >= SUMMARY_INTERVAL && lastReport.compareAndSet(last, now)) {
            LOG.warn(subject + " still failing: " + count + " failed calls so far, latest: " + fault);
        }
    }

    public void succeeded() {
        // Cleared before the episode check: a fault counted between that check and the end of an episode must not
        // leave the count above zero while every later success returns early.
        if (sinceSuccess.get() != 0) {
            sinceSuccess.set(0);
        }
        if (failures.get() == 0) {
            return;
        }
        if (!succeededSinceFault.get()) {
            succeededSinceFault.set(true);
        }
        if (nanoTime.getAsLong() - lastFailedAt >= SUSTAINED_RECOVERY) {
            ended();
        }
    }

    private void ended() {
        long count = failures.getAndSet(0);
        if (count > 0) {
            LOG.info(subject + " recovered after " + count + " failed calls");
        }
    }

    /** The latest fault reported, even if recovered from since, or null. */
    public Throwable lastFault() {
        return lastFault;
    }

    /** Failed calls since the last success (not since the episode began). */
    public long failuresSinceSuccess() {
        return sinceSuccess.get();
    }
}
