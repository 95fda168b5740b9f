/**
 * The store extension point, and everything a store author touches: a store depends on this package and the
 * configuration keys ({@link dev.responsecache.ResponseCacheProperties}) only, never on the engine.
 *
 * <p>To add a store: implement {@link dev.responsecache.spi.ResponseStore} (get and put of
 * {@link dev.responsecache.spi.CacheEntry}, whose headers are {@link dev.responsecache.spi.Header}s and whose stale
 * windows are {@link dev.responsecache.spi.StaleWindows}; use {@link dev.responsecache.spi.EntryCodec} when the store
 * keeps bytes, and treat its {@link dev.responsecache.spi.UnreadableEntryException} as a miss), and a
 * {@link dev.responsecache.spi.ResponseStoreProvider} registered through {@code ServiceLoader}, which reads its
 * settings through {@link dev.responsecache.spi.PropertyValues} (errors that name the property and the value).
 * {@link dev.responsecache.spi.Ticker} gives the configured monotonic time source and
 * {@link dev.responsecache.spi.FaultLog} logs an outage once per episode, as the bundled stores do. A store that
 * reaches a server checks it in {@link dev.responsecache.spi.ResponseStore#started}, after the cache's start-up line,
 * rather than while it is created.
 */
package dev.responsecache.spi;
