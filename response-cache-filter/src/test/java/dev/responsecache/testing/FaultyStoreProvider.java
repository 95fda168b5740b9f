package dev.responsecache.testing;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

/**
 * {@code responsecache.store=faulty}: a store whose every call fails the way a broken backend does (an unchecked
 * exception, or a linkage error from a half-deployed client library). Real stores' faults are covered against a real
 * Redis; this one proves the engine's side of the contract through the same SPI a third-party store would use.
 */
public final class FaultyStoreProvider implements ResponseStoreProvider {

    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public ResponseStore create(StoreContext context) {
        return new ResponseStore() {
            @Override
            public CacheEntry get(String key) {
                throw new IllegalStateException("store unavailable");
            }

            @Override
            public void put(CacheEntry entry) {
                throw new NoClassDefFoundError("a store client class");
            }

            /** A store that could evict, were it up: every call fails, evictions too. */
            @Override
            public boolean evicts() {
                return true;
            }

            @Override
            public long evict(java.util.Set<String> tags) {
                throw new IllegalStateException("store unavailable");
            }
        };
    }
}
