package dev.responsecache.core;

import dev.responsecache.spi.ResponseStore;

/**
 * Builds the {@link CacheEvents} of a metrics library from the object the user configured under
 * {@link dev.responsecache.ResponseCacheProperties#METER_REGISTRY}. Found through {@link java.util.ServiceLoader}, and
 * only looked for when that property is set, so that no metrics class is loaded otherwise.
 */
public interface CacheEventsProvider {

    /**
     * @param registry what the user configured
     * @param store    the opened store, whose {@link ResponseStore#sizes()} and {@link ResponseStore#status()} gauges
     *                 may read
     * @throws dev.responsecache.ResponseCacheConfigException when {@code registry} is not of the expected type
     */
    CacheEvents create(Object registry, ResponseStore store);

    /**
     * Checks {@code registry} without a store, at start-up before any store is opened (and with the cache off).
     *
     * @throws dev.responsecache.ResponseCacheConfigException when {@code registry} is not of the expected type
     */
    void check(Object registry);
}
