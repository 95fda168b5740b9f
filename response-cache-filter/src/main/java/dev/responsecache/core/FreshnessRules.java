package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;

import java.util.Objects;

/** Whether a stored entry may answer a request. A pure function of (entry, key, request, now). */
final class FreshnessRules {

    private FreshnessRules() {
    }

    /** Null when the entry may answer; otherwise the RFC 9211 {@code fwd} reason of the miss. */
    static String missReason(CacheEntry entry, String key, CacheRequest request, long nowMillis) {
        if (entry == null || !entry.key().equals(key)) {
            // A different key at the same store slot (a digest collision, a foreign value) is someone else's.
            return "uri-miss";
        }
        if (nowMillis >= entry.expiresAtMillis()) {
            return "stale";
        }
        return varyMatches(entry, request) ? null : "vary-miss";
    }

    /** Whether the request has the values of every header the entry's {@code Vary} named. */
    static boolean varyMatches(CacheEntry entry, CacheRequest request) {
        for (CacheEntry.VaryValue vary : entry.varyValues()) {
            if (!Objects.equals(vary.value(), KeyedValues.header(request, vary.name()))) {
                return false;
            }
        }
        return entry.varyValues().isEmpty() || !HostDerived.withoutSeenOrigin(entry);
    }
}
