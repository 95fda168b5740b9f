package dev.responsecache.core;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The settings given that have no effect on the cache as it was opened, for one warning at start-up: those of a store
 * not in use ({@link StoreLoader#ignored}), and those that tune a feature the configuration leaves off, each named
 * with the value given and the switch that leaves it idle. Valid, so never an error: one configuration may serve
 * environments that turn a feature on and off.
 *
 * <p>Not among them: the header-driven settings ({@code heuristic-ttl}, {@code honour-client-refresh},
 * {@code revalidation-window}) and {@code stale-if-error-deadline}, which apply to endpoints the cache does not know
 * yet when it opens (an annotation or a filter's {@code ttl=headers} turns the header-driven mode on per endpoint).
 */
final class IdleSettings {

    private IdleSettings() {
    }

    /**
     * @param given           the settings given explicitly, with their values
     * @param leasesGiven     whether the cache coalesces across instances ({@link ClusterFlight} was made)
     * @param budgetedStore   whether the store's calls are budgeted (they leave the JVM)
     * @param evictionsKnown  whether the store tells when it evicts ({@link Admission}: its capacity tier)
     * @return one text naming every setting with no effect and why, or null when each has one
     */
    static String of(CacheSettings settings, Map<String, Object> given, Compression compression,
                     boolean leasesGiven, boolean budgetedStore, boolean evictionsKnown) {
        List<String> idle = new ArrayList<>();
        String store = StoreLoader.ignored(settings.storeName(), given.keySet());
        if (store != null) {
            idle.add(store);
        }
        if (settings.coalesceWait().isZero()) {
            // Off by responsecache.coalesce=false: a coalesce-wait of 0 is refused.
            for (String key : List.of(ResponseCacheProperties.COALESCE_WAIT, ResponseCacheProperties.COALESCE_LEASE)) {
                if (given.containsKey(key)) {
                    idle.add(setting(given, key) + " (coalescing is off: "
                            + setting(given, ResponseCacheProperties.COALESCE) + ")");
                }
            }
        } else if (given.containsKey(ResponseCacheProperties.COALESCE_LEASE) && !leasesGiven
                // 0 (or 0s, 0ms) turns the lease off (any other value is a positive duration, a millisecond at least).
                && !PropertyValues.isZeroDuration(String.valueOf(given.get(ResponseCacheProperties.COALESCE_LEASE)))) {
            idle.add(setting(given, ResponseCacheProperties.COALESCE_LEASE) + " (the store '" + settings.storeName()
                    + "' offers no key leases: requests are coalesced per instance)");
        }
        if (!compression.enabled() && given.containsKey(ResponseCacheProperties.COMPRESS_MIN_SIZE)) {
            idle.add(setting(given, ResponseCacheProperties.COMPRESS_MIN_SIZE) + " (compression is off: "
                    + (given.containsKey(ResponseCacheProperties.COMPRESS)
                            ? setting(given, ResponseCacheProperties.COMPRESS)
                            : ResponseCacheProperties.COMPRESS + " is not set") + ")");
        }
        if (!budgetedStore && given.containsKey(ResponseCacheProperties.STORE_BUDGET)) {
            idle.add(setting(given, ResponseCacheProperties.STORE_BUDGET) + " (the store '" + settings.storeName()
                    + "' answers in memory: its calls are not budgeted)");
        }
        if (!evictionsKnown && given.containsKey(ResponseCacheProperties.ADMISSION)
                && Admission.WHEN_EVICTING.equalsIgnoreCase(String.valueOf(given.get(ResponseCacheProperties.ADMISSION))
                        .trim())) {
            idle.add(setting(given, ResponseCacheProperties.ADMISSION) + " (the store '" + settings.storeName()
                    + "' does not tell when it evicts: every miss is stored)");
        }
        return idle.isEmpty() ? null : String.join("; ", idle);
    }

    /** {@code key=value} as given, secrets masked as in the start-up line. */
    private static String setting(Map<String, Object> given, String key) {
        return key + "=" + StartupLine.shown(key, given.get(key));
    }
}
