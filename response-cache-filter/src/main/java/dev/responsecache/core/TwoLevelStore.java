package dev.responsecache.core;

import dev.responsecache.spi.ResponseStore;

/**
 * A per-instance near tier in front of a shared store: reads try the near tier first and keep what the shared store
 * returns; writes go to both. Safe without invalidation because an entry never changes once stored: it is only ever
 * replaced after it expires, and the near copy expires at the same instant ({@link CacheEntry#expiresAtMillis()}, and
 * is dropped with the shared one at {@link CacheEntry#retainedMillis(long)}).
 */
final class TwoLevelStore implements ResponseStore {

    private final ResponseStore near;
    private final ResponseStore shared;

    TwoLevelStore(ResponseStore near, ResponseStore shared) {
        this.near = near;
        this.shared = shared;
    }

    @Override
    public CacheEntry get(String key) {
        CacheEntry entry = near.get(key);
        if (entry != null && entry.key().equals(key)) {
            return entry;
        }
        entry = shared.get(key);
        if (entry != null && entry.key().equals(key)) {
            near.put(entry);
        }
        return entry;
    }

    @Override
    public void put(CacheEntry entry) {
        shared.put(entry);
        near.put(entry);
    }

    @Override
    public void close() {
        try {
            shared.close();
        } finally {
            near.close();
        }
    }
}
