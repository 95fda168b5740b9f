package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The store-independent settings, parsed and checked once at start-up.
 *
 * @param enabled            master switch
 * @param storeName          which store provider to use
 * @param maxBodyBytes       bodies larger than this stream through and are not stored
 * @param cacheableStatuses  statuses stored unless a policy names its own
 * @param statusHeader       name of the HIT/MISS header
 * @param coalesceWait       how long concurrent misses on one key wait for the first; zero: no coalescing
 * @param clock              the source of "now" for every freshness decision
 * @param staleWindows       the stale windows of endpoints that do not declare their own
 */
public record CacheSettings(
        boolean enabled,
        String storeName,
        long maxBodyBytes,
        Set<Integer> cacheableStatuses,
        String statusHeader,
        Duration coalesceWait,
        Clock clock,
        StaleWindows staleWindows) {

    public static final List<Integer> DEFAULT_STATUSES = List.of(200, 203, 204, 300, 301, 308, 404, 410);
    public static final long DEFAULT_MAX_BODY = 1 << 20;
    public static final Duration DEFAULT_COALESCE_WAIT = Duration.ofSeconds(5);
    /** Bodies are captured in a byte array, so the limit cannot exceed what one array holds. */
    static final long LARGEST_BODY = Integer.MAX_VALUE - 16;

    public CacheSettings {
        if (maxBodyBytes <= 0 || maxBodyBytes > LARGEST_BODY) {
            throw new IllegalArgumentException("maxBodyBytes out of range: " + maxBodyBytes);
        }
        for (int status : cacheableStatuses) {
            if (status < 100 || status >= 500) {
                throw new IllegalArgumentException("not a cacheable status: " + status);
            }
        }
        cacheableStatuses = Set.copyOf(cacheableStatuses);
        if (coalesceWait.isNegative()) {
            throw new IllegalArgumentException("negative coalesce wait: " + coalesceWait);
        }
        Objects.requireNonNull(staleWindows, "staleWindows");
    }

    /** Settings without default stale windows. */
    public CacheSettings(boolean enabled, String storeName, long maxBodyBytes, Set<Integer> cacheableStatuses,
                         String statusHeader, Duration coalesceWait, Clock clock) {
        this(enabled, storeName, maxBodyBytes, cacheableStatuses, statusHeader, coalesceWait, clock,
                StaleWindows.NONE);
    }

    public static CacheSettings from(PropertyValues properties) {
        Object clock = properties.object(ResponseCacheProperties.CLOCK);
        if (clock != null && !(clock instanceof Clock)) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.CLOCK, clock, "a java.time.Clock");
        }
        long maxBody = properties.size(ResponseCacheProperties.MAX_BODY_SIZE, DEFAULT_MAX_BODY);
        if (maxBody > LARGEST_BODY) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.MAX_BODY_SIZE,
                    properties.string(ResponseCacheProperties.MAX_BODY_SIZE), "a size below 2GB");
        }
        List<Integer> statuses = properties.statuses(ResponseCacheProperties.CACHEABLE_STATUSES, DEFAULT_STATUSES);
        if (statuses.stream().anyMatch(status -> !Rfc9111Rules.statusMayBeStored(status))) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.CACHEABLE_STATUSES,
                    properties.string(ResponseCacheProperties.CACHEABLE_STATUSES),
                    "statuses from 200 to 499 other than 206 and 304 (" + CachePolicy.NEVER_STORED + ")");
        }
        // Read whether coalescing is on or not, so that a bad value fails now and not once coalescing is turned on.
        Duration coalesceWait = properties.duration(ResponseCacheProperties.COALESCE_WAIT, DEFAULT_COALESCE_WAIT);
        return new CacheSettings(
                properties.bool(ResponseCacheProperties.ENABLED, true),
                properties.string(ResponseCacheProperties.STORE, "ehcache"),
                maxBody,
                Set.copyOf(statuses),
                TagHeader.checkedStatusHeader(properties),
                properties.bool(ResponseCacheProperties.COALESCE, true) ? coalesceWait : Duration.ZERO,
                clock == null ? Clock.systemUTC() : (Clock) clock,
                new StaleWindows(staleWindow(properties, ResponseCacheProperties.STALE_WHILE_REVALIDATE),
                        staleWindow(properties, ResponseCacheProperties.STALE_IF_ERROR)));
    }

    private static long staleWindow(PropertyValues properties, String name) {
        Duration window = properties.durationOrZero(name, Duration.ZERO);
        if (window.compareTo(CachePolicy.MAX_TTL) > 0) {
            throw ResponseCacheConfigException.badValue(name, properties.string(name),
                    "a duration of at most 365 days, or 0");
        }
        return window.toMillis();
    }
}
