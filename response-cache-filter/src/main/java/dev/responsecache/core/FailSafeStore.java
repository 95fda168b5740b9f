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
    private final CacheEvents events;
    private final LongSupplier nanoTime;

    FailSafeStore(ResponseStore store, LongSupplier nanoTime) {
        this(store, nanoTime, CacheEvents.NONE);
    }

    FailSafeStore(ResponseStore store, LongSupplier nanoTime, CacheEvents events) {
        this.store = store;
        this.faults = new FaultLog("response cache store " + store.getClass().getName(), nanoTime);
        this.events = events;
        this.nanoTime = nanoTime;
    }

    CacheEntry get(String key) {
        long start = events.timesStoreCalls() ? nanoTime.getAsLong() : 0;
        try {
            CacheEntry entry = store.get(key);
            faults.succeeded();
            timed(CacheEvents.StoreOperation.GET, start, null);
            return entry;
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            timed(CacheEvents.StoreOperation.GET, start, e);
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

    /** Whether the entry was handed to the store without a fault. */
    boolean put(CacheEntry entry) {
        long start = events.timesStoreCalls() ? nanoTime.getAsLong() : 0;
        try {
            store.put(entry);
            faults.succeeded();
            timed(CacheEvents.StoreOperation.PUT, start, null);
            return true;
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            timed(CacheEvents.StoreOperation.PUT, start, e);
            return false;
        }
    }

    /** Failed calls since the last success, and the latest fault: what {@link ResponseCache#health()} reports. */
    FaultLog faults() {
        return faults;
    }

    ResponseStore store() {
        return store;
    }

    private void timed(CacheEvents.StoreOperation operation, long start, Throwable fault) {
        if (events.timesStoreCalls()) {
            events.storeCall(operation, nanoTime.getAsLong() - start, fault);
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
