package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.StaleWindows;

/**
 * What an entry that matches the request may still be used for at a given instant. A pure function of the entry's
 * expiry, its {@link StaleWindows} and now; the windows start at the original expiry, not at the store time.
 */
enum Staleness {
    /** Before expiry: answered as a hit. */
    FRESH,
    /** Expired, within both windows: answered at once while it is refreshed, and usable on an error. */
    REVALIDATE_OR_ERROR,
    /** Expired, within stale-while-revalidate only: answered at once while it is refreshed. */
    REVALIDATE,
    /** Expired, within stale-if-error only: the method runs, and the entry replaces an error. */
    ERROR_ONLY,
    /** Past every window: unusable, a miss (stores drop it about now). */
    EXPIRED;

    static Staleness of(CacheEntry entry, long nowMillis) {
        long expiresAt = entry.expiresAtMillis();
        if (nowMillis < expiresAt) {
            return FRESH;
        }
        // Subtraction, not addition: expiresAt + window could overflow for an entry with a capped one-year ttl.
        long pastExpiry = nowMillis - expiresAt;
        StaleWindows windows = entry.staleWindows();
        boolean revalidate = pastExpiry < windows.whileRevalidateMillis();
        boolean error = pastExpiry < windows.ifErrorMillis();
        if (revalidate) {
            return error ? REVALIDATE_OR_ERROR : REVALIDATE;
        }
        return error ? ERROR_ONLY : EXPIRED;
    }

    /** Whether a request may be answered from the entry at once while one refresh runs in the background. */
    boolean servesWhileRevalidating() {
        return this == REVALIDATE || this == REVALIDATE_OR_ERROR;
    }

    /** Whether the entry may replace an error (a thrown exception, a 5xx, a missed deadline) of the method. */
    boolean servesOnError() {
        return this == REVALIDATE_OR_ERROR || this == ERROR_ONLY;
    }
}
