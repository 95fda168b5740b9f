/**
 * The store extension point. To add a store: implement {@link dev.responsecache.spi.ResponseStore} (get and put of
 * {@link dev.responsecache.spi.CacheEntry}; use {@link dev.responsecache.spi.EntryCodec} when the store keeps
 * bytes), and a {@link dev.responsecache.spi.ResponseStoreProvider} registered through {@code ServiceLoader}.
 */
package dev.responsecache.spi;
