/**
 * The Micrometer binding: the engine's {@link dev.responsecache.core.CacheEvents} as meters of the
 * {@code io.micrometer.core.instrument.MeterRegistry} given under
 * {@link dev.responsecache.ResponseCacheProperties#METER_REGISTRY}. Loaded only when that property is set; Micrometer
 * is an optional dependency. The meters are listed in docs/OPERATIONS.md.
 */
package dev.responsecache.micrometer;
