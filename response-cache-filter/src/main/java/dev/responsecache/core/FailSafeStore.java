package dev.responsecache.core;

import dev.responsecache.spi.ResponseStore;

import java.util.Set;

/**
 * Turns every store fault into a miss (on read) or a skipped write, and reports faults through {@link FaultLog}
 * rather than once per request. No exception from a store reaches a request.
 */
final class FailSafeStore {

    private final ResponseStore store;
    private final FaultLog faults;

    FailSafeStore(ResponseStore store) {
        this.store = store;
        this.faults = new FaultLog("response cache store " + store.getClass().getName());
    }

    CacheEntry get(String key) {
        try {
            CacheEntry entry = store.get(key);
            faults.succeeded();
            return entry;
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            return null;
        }
    }

    void put(CacheEntry entry) {
        try {
            store.put(entry);
            faults.succeeded();
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
        }
    }

    /**
     * The store's invalidation mark, or null when the store failed to give one (nothing may then be stored). A mark
     * given is no sign of recovery (a store may give one from memory), so it does not end a fault episode.
     */
    Long invalidationMark() {
        try {
            return store.invalidationMark();
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            return null;
        }
    }

    void put(CacheEntry entry, Set<String> tags, long mark) {
        try {
            store.put(entry, tags, mark);
            faults.succeeded();
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
        }
    }

    /** Unlike reads and writes, evictions throw: their callers report the fault. */
    ResponseStore store() {
        return store;
    }

    void close() {
        try {
            store.close();
        } catch (Exception e) {
            faults.failed(e);
        }
    }
}
