package dev.responsecache.spi;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;

import java.util.function.LongSupplier;

/**
 * The monotonic nanosecond source for real time spent (coalescing waits, the Redis breaker's windows and cool-down,
 * log cadence), as opposed to the {@link java.time.Clock} of cache time. {@code System::nanoTime} unless a test hands
 * in its own ({@link ResponseCacheProperties#TICKER}), to move time instead of waiting for it.
 */
public final class Ticker {

    private Ticker() {
    }

    /** The configured source, or {@code System::nanoTime}. */
    public static LongSupplier from(PropertyValues properties) {
        Object ticker = properties.object(ResponseCacheProperties.TICKER);
        if (ticker == null) {
            return System::nanoTime;
        }
        if (!(ticker instanceof LongSupplier supplier)) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.TICKER, ticker,
                    "a java.util.function.LongSupplier of monotonic nanoseconds");
        }
        return supplier;
    }
}
