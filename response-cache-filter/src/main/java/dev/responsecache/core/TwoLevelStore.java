package dev.responsecache.core;

import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreStatus;
import dev.responsecache.spi.TierSize;

import java.util.ArrayList;
import java.util.List;

import java.time.Duration;

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

    /** The near tier is in memory: only the shared store's calls are bounded. */
    @Override
    public Duration callBound() {
        return shared.callBound();
    }

    @Override
    public void close() {
        try {
            shared.close();
        } finally {
            near.close();
        }
    }

    /** The shared store's health: the near tier is local memory and always answers. */
    @Override
    public StoreStatus status() {
        return shared.status();
    }

    /** The shared store's tiers and the near tier, named {@code near}. */
    @Override
    public List<TierSize> sizes() {
        List<TierSize> sizes = new ArrayList<>(shared.sizes());
        for (TierSize size : near.sizes()) {
            sizes.add(new TierSize("near", size.entries(), size.bytes(), size.evictions()));
        }
        return sizes;
    }
}
