package dev.responsecache.core;

import dev.responsecache.spi.ResponseStore;

import java.util.function.LongSupplier;

/**
 * Turns every store fault into a miss (on read) or a skipped write, and reports faults through {@link FaultLog}
 * rather than once per request. No exception from a store reaches a request.
 */
final class FailSafeStore {

    private final ResponseStore store;
    private final FaultLog faults;

    FailSafeStore(ResponseStore store, LongSupplier nanoTime) {
        this.store = store;
        this.faults = new FaultLog("response cache store " + store.getClass().getName(), nanoTime);
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

    /** See {@link ResponseStore#callBound()}; zero when the store cannot tell. */
    long callBoundNanos() {
        try {
            return Math.max(0, store.callBound().toNanos());
        } catch (RuntimeException | LinkageError e) {
            return 0;
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

    void close() {
        try {
            store.close();
        } catch (Exception e) {
            faults.failed(e);
        }
    }
}
