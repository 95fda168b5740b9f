package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Picks the engine's {@link CacheEvents}: none, unless a meter registry is configured. */
final class Instrumentation {

    private static final String EXPECTED =
            "an io.micrometer.core.instrument.MeterRegistry, with io.micrometer:micrometer-core on the class path";

    private Instrumentation() {
    }

    /**
     * Checks the configured registry without a store, before one is opened and whether the cache is on or off, as
     * every other setting is checked.
     */
    static void check(PropertyValues properties) {
        Object registry = properties.object(ResponseCacheProperties.METER_REGISTRY);
        if (registry != null) {
            provider(registry);
        }
    }

    static CacheEvents events(PropertyValues properties, ResponseStore store) {
        Object registry = properties.object(ResponseCacheProperties.METER_REGISTRY);
        if (registry == null) {
            return CacheEvents.NONE;
        }
        return provider(registry).create(registry, store);
    }

    /** The binding that accepts {@code registry}. */
    private static CacheEventsProvider provider(Object registry) {
        try {
            Iterator<CacheEventsProvider> providers = ServiceLoader.load(CacheEventsProvider.class,
                    Instrumentation.class.getClassLoader()).iterator();
            if (providers.hasNext()) {
                CacheEventsProvider provider = providers.next();
                provider.check(registry);
                return provider;
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            // The binding is there but Micrometer is not: the configured object cannot be a registry.
            throw new ResponseCacheConfigException(ResponseCacheConfigException.badValue(
                    ResponseCacheProperties.METER_REGISTRY, registry, EXPECTED).getMessage(), e);
        }
        throw ResponseCacheConfigException.badValue(ResponseCacheProperties.METER_REGISTRY, registry, EXPECTED);
    }
}
