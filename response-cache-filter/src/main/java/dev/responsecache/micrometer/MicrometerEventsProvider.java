package dev.responsecache.micrometer;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.core.CacheEvents;
import dev.responsecache.core.CacheEventsProvider;
import dev.responsecache.spi.ResponseStore;

import io.micrometer.core.instrument.MeterRegistry;

/** Found by {@link java.util.ServiceLoader} when a meter registry is configured. */
public final class MicrometerEventsProvider implements CacheEventsProvider {

    @Override
    public CacheEvents create(Object registry, ResponseStore store) {
        check(registry);
        return new MicrometerEvents((MeterRegistry) registry, store);
    }

    @Override
    public void check(Object registry) {
        if (!(registry instanceof MeterRegistry)) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.METER_REGISTRY, registry,
                    "an io.micrometer.core.instrument.MeterRegistry");
        }
    }
}
