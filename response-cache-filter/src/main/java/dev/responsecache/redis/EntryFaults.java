package dev.responsecache.redis;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports values this store cannot use (corrupt, truncated, of another format version, another Redis type) as
 * docs/GUARANTEES.md promises: the first one at once, then at most one summary a minute while they keep coming. Not
 * an outage: each is a miss that the next store overwrites, so there is no "recovered" line.
 */
final class EntryFaults {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    private static final long SUMMARY_INTERVAL = TimeUnit.MINUTES.toNanos(1);

    private final String address;
    private final LongSupplier nanoTime;
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong reportedCount = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong();

    EntryFaults(String address, LongSupplier nanoTime) {
        this.address = address;
        this.nanoTime = nanoTime;
    }

    void unusable(String key, String reason) {
        long total = count.incrementAndGet();
        long now = nanoTime.getAsLong();
        if (total == 1) {
            lastReport.set(now);
            reportedCount.set(1);
            LOG.warn("unusable Redis value at " + address + " for " + key + " (" + reason
                    + "); treated as a miss, and overwritten by the next response stored");
            return;
        }
        long last = lastReport.get();
        if (now - last >= SUMMARY_INTERVAL && lastReport.compareAndSet(last, now)) {
            long since = total - reportedCount.getAndSet(total);
            LOG.warn(since + " more unusable Redis values at " + address + " in the last minute, each"
                    + " treated as a miss (latest: " + key + ", " + reason + ")");
        }
    }
}
