package dev.responsecache.core;

import dev.responsecache.spi.ResponseStore;

import java.util.Set;

/**
 * A per-instance near tier in front of a shared store: reads try the near tier first and keep what the shared store
 * returns; writes go to both. Safe without invalidation because an entry never changes once stored: it is only ever
 * replaced after it expires, and the near copy expires at the same instant ({@link CacheEntry#expiresAtMillis()}).
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
    public long invalidationMark() {
        return shared.invalidationMark();
    }

    @Override
    public void put(CacheEntry entry, Set<String> tags, long mark) {
        shared.put(entry, tags, mark);
        near.put(entry);
    }

    /**
     * Evicts from the shared store, then drops this instance's whole near tier: its copies, read back from the shared
     * store, carry no tags here. Other instances' near tiers are not told (yet): they serve their copies until those
     * expire.
     */
    @Override
    public long evict(Set<String> tags) {
        long removed = shared.evict(tags);
        near.evictAll();
        return removed;
    }

    @Override
    public long evictAll() {
        long removed = shared.evictAll();
        near.evictAll();
        return removed;
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
