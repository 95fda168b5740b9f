package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.TierSize;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether a miss's response may be stored, decided before the method runs ({@code responsecache.admission}). While
 * the store is evicting entries to make room, a key no request asked for recently is not admitted: its request goes
 * through as a bypass (nothing captured, claimed or stored) and its sighting is kept in a {@link Doorkeeper}, so that
 * the key's next request within the doorkeeper's window is an ordinary miss, stored. A crawler or a client sending a
 * new query string each time then no longer evicts the entries that are asked for, nor makes the store churn.
 *
 * <p>Without pressure nothing changes. Pressure is read off the store's {@link
 * dev.responsecache.spi.ResponseStore#capacityTier() capacity tier} at most once per {@link #SAMPLE_NANOS} of the
 * cache's ticker, by the miss that finds the last reading that old: it starts when the tier's eviction count has grown
 * since the reading before, and ends once the tier holds a tenth fewer entries than the most it held under pressure
 * (invalidations or expiries made room), not when evictions stop: a scan that stores nothing evicts nothing, and
 * would otherwise be let in again a second later. A store that cannot tell (Redis) is never under pressure.
 *
 * <p>The doorkeeper outlives the pressure: a key refused in one episode is admitted at its next request in the next
 * one. Forgetting every sighting when an episode ends would refuse for good a key asked for once per episode (an
 * application whose invalidations end the pressure every few seconds, the store refilling in between).
 */
final class Admission {

    /** {@code responsecache.admission}: not admitting while the store evicts. */
    static final String WHEN_EVICTING = "when-evicting";
    /** {@code responsecache.admission}: every miss is admitted. */
    static final String OFF = "off";
    /** What a not-admitted request's {@code Cache-Status} and refusal counter say. */
    static final String NOT_ADMITTED = "not-admitted";
    /** How often the store's capacity tier is read: once a second at most. */
    static final long SAMPLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The smallest doorkeeper window, so that a store bounded to a handful of entries still remembers some keys. */
    static final int MIN_WINDOW = 1024;
    /**
     * The largest doorkeeper window. Its filters stop growing at half of it (2 MiB each, see {@link Doorkeeper}): a
     * window between the two has fewer bits per key, down to 16.
     */
    static final int MAX_WINDOW = 1 << 20;

    /** A hit renews its key's sighting in the last 1/{@value} of its entry's lifetime (see {@link #hit}). */
    static final int LAST_PART = 4;

    private final boolean enabled;
    private final Supplier<TierSize> capacityTier;
    private final LongSupplier nanoTime;
    /**
     * One sample at a time. A lock, not a monitor: the sample asks the store for its statistics (a store's call, which
     * may block) while the misses that found the sample due wait to enter; a virtual request thread blocked entering
     * a monitor, or inside one, pins its carrier thread on Java 21 to 23.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long nextSampleNanos;
    /** The tier's eviction count at the last reading. */
    private long evictions;
    /** The most entries the tier held while under pressure: the count at which it is full. */
    private long fullEntries;
    /** The sightings of refused keys: made at the first pressure, kept (and consulted only) while under pressure. */
    private volatile Doorkeeper doorkeeper;
    /** True while the store is under pressure; set after {@link #doorkeeper}, which it then guards. */
    private volatile boolean pressure;

    Admission(boolean enabled, Supplier<TierSize> capacityTier, LongSupplier nanoTime) {
        this.enabled = enabled;
        this.capacityTier = capacityTier;
        this.nanoTime = nanoTime;
        this.nextSampleNanos = nanoTime.getAsLong();
    }

    /** {@code responsecache.admission}, checked: whether admission applies (the default) or not. */
    static boolean enabled(PropertyValues properties) {
        String mode = properties.string(ResponseCacheProperties.ADMISSION);
        if (mode == null) {
            return true;
        }
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case WHEN_EVICTING -> true;
            case OFF -> false;
            default -> throw ResponseCacheConfigException.badValue(ResponseCacheProperties.ADMISSION, mode,
                    WHEN_EVICTING + " or " + OFF);
        };
    }

    /**
     * Whether the response to a miss of {@code key} (no entry stored for it) may be stored: always without
     * pressure; under pressure only when the key was asked for recently, and its sighting is recorded if not.
     */
    boolean admits(String key) {
        if (!enabled) {
            return true;
        }
        if (nanoTime.getAsLong() - nextSampleNanos >= 0) {
            sample();
        }
        return !pressure || doorkeeper.seenElseRecord(key);
    }

    /**
     * A GET hit on {@code key}'s entry, stored at {@code storedAtMillis} and fresh until {@code expiresAtMillis},
     * while {@link #underPressure()}: in the last quarter of the entry's lifetime the key's sighting is renewed.
     * Without it the sighting that admitted a hot key would be forgotten after two windows of refused keys, and the
     * key's first request once its entry left the store refused: the method run once more per expiry, concurrent
     * requests not coalesced. The caller reads the pressure first, so a hit without pressure costs one volatile read;
     * with it, most hits add a subtraction and a comparison, and only those near the expiry look the key up.
     */
    void hit(String key, long storedAtMillis, long expiresAtMillis, long nowMillis) {
        if (expiresAtMillis - nowMillis <= (expiresAtMillis - storedAtMillis) / LAST_PART) {
            doorkeeper.renew(key);
        }
    }

    /** True while the store is under pressure (as of the last reading). */
    boolean underPressure() {
        return pressure;
    }

    private void sample() {
        lock.lock();
        try {
            long now = nanoTime.getAsLong();
            if (now - nextSampleNanos < 0) {
                return;
            }
            nextSampleNanos = now + SAMPLE_NANOS;
            TierSize tier = capacityTier.get();
            if (tier == null || tier.evictions() < 0 || tier.entries() < 0) {
                pressure = false;
                return;
            }
            boolean evicted = tier.evictions() > evictions;
            evictions = Math.max(evictions, tier.evictions());
            long entries = tier.entries();
            if (pressure) {
                if (entries < fullEntries - fullEntries / 10) {
                    // Room was made (invalidations, expiries): whatever it evicted before that, it need not now.
                    pressure = false;
                } else {
                    fullEntries = Math.max(fullEntries, entries);
                }
            } else if (evicted && entries > 0) {
                fullEntries = entries;
                int window = (int) Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, entries));
                Doorkeeper kept = doorkeeper;
                // The sightings of the episodes before are kept, unless the store now holds so many more or fewer
                // entries that the window they were recorded for no longer fits it.
                if (kept == null || window > 2L * kept.window() || 2L * window < kept.window()) {
                    doorkeeper = new Doorkeeper(window);
                }
                pressure = true;
            }
        } finally {
            lock.unlock();
        }
    }
}
