package dev.responsecache.core;

import dev.responsecache.spi.PropertyValues;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;

import java.time.Duration;

/**
 * How the header-driven mode (RFC 9111 shared cache) reads what the origin and the client say.
 *
 * @param everywhere           every endpoint takes its freshness from the response headers, not only those that
 *                             opt in ({@code responsecache.ttl-from-headers})
 * @param heuristicMillis      the freshness given to a response with a validator and no explicit lifetime; 0: none
 *                             (such a response is stored stale and revalidated on its next use)
 * @param honourClientRefresh  whether a client's {@code no-cache}, {@code no-store}, {@code max-age} and
 *                             {@code min-fresh} may send its request to the origin; {@code max-stale} and
 *                             {@code only-if-cached}, which can only spare the origin, are always honoured
 * @param keepForRevalidation  how long past its freshness an entry with a validator is kept to be revalidated
 */
record HeaderModeSettings(boolean everywhere, long heuristicMillis, boolean honourClientRefresh,
                          long keepForRevalidation) {

    static final Duration DEFAULT_KEEP_FOR_REVALIDATION = Duration.ofHours(1);
    static final HeaderModeSettings DEFAULTS = new HeaderModeSettings(false, 0, false,
            DEFAULT_KEEP_FOR_REVALIDATION.toMillis());

    HeaderModeSettings {
        if (heuristicMillis < 0 || heuristicMillis > CachePolicy.MAX_TTL.toMillis()) {
            throw new IllegalArgumentException("heuristic freshness out of range: " + heuristicMillis + " ms");
        }
        if (keepForRevalidation < 0 || keepForRevalidation > CachePolicy.MAX_TTL.toMillis()) {
            throw new IllegalArgumentException("revalidation window out of range: " + keepForRevalidation + " ms");
        }
    }

    static HeaderModeSettings from(PropertyValues properties) {
        return new HeaderModeSettings(
                properties.bool(ResponseCacheProperties.TTL_FROM_HEADERS, false),
                bounded(properties, ResponseCacheProperties.HEURISTIC_TTL, Duration.ZERO),
                properties.bool(ResponseCacheProperties.HONOUR_CLIENT_REFRESH, false),
                bounded(properties, ResponseCacheProperties.REVALIDATION_WINDOW, DEFAULT_KEEP_FOR_REVALIDATION));
    }

    private static long bounded(PropertyValues properties, String name, Duration fallback) {
        Duration duration = properties.durationOrZero(name, fallback);
        if (duration.compareTo(CachePolicy.MAX_TTL) > 0) {
            throw ResponseCacheConfigException.badValue(name, properties.string(name),
                    "a duration of at most 365 days, or 0");
        }
        return duration.toMillis();
    }
}
