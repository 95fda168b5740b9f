package dev.responsecache.core;

import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreStatus;

/**
 * The cache's health as a readiness probe or an operator sees it. A cache whose store is down still serves every
 * request (uncached), so an application should not report itself unready because of it: read {@link #storeReachable}
 * for information or for a separate probe, not as the application's readiness.
 *
 * @param storeReachable whether the store answers: its own view when it has one (a Redis breaker), and the latest
 *                       call to it made through the cache did not fail
 * @param breaker        the store's circuit breaker, {@code closed} or {@code open}, or {@code none}
 * @param lastFault      the latest fault of the store or the engine (type and message), or null; kept after recovery
 * @param failingCalls   store calls failed since the last one that succeeded
 * @param failingEvictions evictions asked for (by any of the three ways) that failed since an eviction last
 *                       succeeded (a replay of a remembered one included); each counts once, however often its replay
 *                       is tried meanwhile
 * @param lastEvictionFault the latest eviction fault (type and message), or null; kept after recovery. A refusal
 *                       no retry changes names the tags refused (every entry is evicted in their place)
 * @param rememberedEvictions failed evictions remembered by this instance and not replayed yet (an eviction whose
 *                       tags all wait already is carried out by the one holding them, so it adds none): while it is
 *                       above zero, this instance serves every request uncached, and replays them, in order, as soon as
 *                       the store answers (other instances may serve the entries they name until then)
 */
public record CacheHealth(boolean storeReachable, String breaker, String lastFault, long failingCalls,
                          long failingEvictions, String lastEvictionFault, long rememberedEvictions) {

    static CacheHealth of(ResponseStore store, FaultLog storeFaults, FaultLog engineFaults, long failingEvictions,
                          Throwable lastEvictionFault, long rememberedEvictions) {
        StoreStatus status;
        try {
            status = store.status();
        } catch (RuntimeException | LinkageError e) {
            status = new StoreStatus(false, null, describe(e));
        }
        long failing = storeFaults.failuresSinceSuccess();
        boolean reachable = failing == 0 && (status == null || status.reachable());
        String lastFault = status != null && status.lastFault() != null ? status.lastFault()
                : describe(storeFaults.lastFault() != null ? storeFaults.lastFault() : engineFaults.lastFault());
        return new CacheHealth(reachable, status == null ? "none" : status.breaker(), lastFault, failing,
                failingEvictions, describe(lastEvictionFault), rememberedEvictions);
    }

    /** This view as a small JSON object, for a probe endpoint. */
    public String toJson() {
        return "{\"status\":\"UP\",\"store\":{\"reachable\":" + storeReachable + ",\"breaker\":\"" + escape(breaker)
                + "\",\"failingCalls\":" + failingCalls + ",\"lastFault\":"
                + (lastFault == null ? "null" : "\"" + escape(lastFault) + "\"") + "},\"invalidation\":{"
                + "\"failingEvictions\":" + failingEvictions + ",\"lastFault\":"
                + (lastEvictionFault == null ? "null" : "\"" + escape(lastEvictionFault) + "\"")
                + ",\"rememberedEvictions\":" + rememberedEvictions + "}}";
    }

    private static String describe(Throwable fault) {
        return fault == null ? null : fault.toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
