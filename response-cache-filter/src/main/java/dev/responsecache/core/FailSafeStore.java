package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreUnavailableException;
import dev.responsecache.spi.TierSize;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Turns every store fault into a miss (on read) or a skipped write, and reports faults through {@link FaultLog}
 * rather than once per request. No exception from a store reaches a request.
 */
final class FailSafeStore {

    private final AtomicLong failedEvictions = new AtomicLong();
    private volatile Throwable lastEvictionFault;
    private final ResponseStore store;
    private final FaultLog faults;
    /** Failures to read the store's capacity statistics: not faults of the store (see {@link #capacityTier()}). */
    private final FaultLog statisticsFaults;
    private final CacheEvents events;
    private final LongSupplier nanoTime;
    /**
     * The near tier's failures to keep a copy of what the shared store answered or accepted: on their own log, since
     * the store answered (the read or store stands, and {@link #failing()} stays false); each counted as a failed
     * {@code put}.
     */
    private final TwoLevelStore.NearCopies nearCopies;
    /** Evictions that failed, replayed before the store is used again ({@link RememberedEvictions}). */
    private final RememberedEvictions remembered;

    FailSafeStore(ResponseStore store, LongSupplier nanoTime) {
        this(store, nanoTime, CacheEvents.NONE);
    }

    FailSafeStore(ResponseStore store, LongSupplier nanoTime, CacheEvents events) {
        this.store = store;
        this.faults = new FaultLog("response cache store " + store.getClass().getName(), nanoTime);
        this.statisticsFaults = new FaultLog("capacity statistics of response cache store "
                + store.getClass().getName(), "admitting every miss (no pressure known) until they are read again",
                nanoTime);
        this.events = events;
        this.nanoTime = nanoTime;
        this.nearCopies = nearCopies(new FaultLog("near tier of response cache store " + store.getClass().getName(),
                "answering from the shared store alone, its copies not kept, until it recovers", nanoTime));
        this.remembered = new RememberedEvictions(new RememberedEvictions.Evictor() {
            @Override
            public long evict(Set<String> tags) {
                return evictNow(tags);
            }

            @Override
            public boolean retryable(Throwable fault) {
                return store.evictionRetryable(fault);
            }
        }, RememberedEvictions.DEFAULT_MAX_TAGS, RememberedEvictions.DEFAULT_RETRY_NANOS, nanoTime, true);
    }

    private TwoLevelStore.NearCopies nearCopies(FaultLog nearFaults) {
        return new TwoLevelStore.NearCopies() {
            @Override
            public void kept() {
                nearFaults.succeeded();
            }

            @Override
            public void notKept(RuntimeException fault) {
                nearFaults.failed(fault);
                if (events.timesStoreCalls()) {
                    // A put in memory, untimed (as a near read is not timed against the store budget): counted.
                    events.storeCall(CacheEvents.StoreOperation.PUT, 0, fault);
                }
            }
        };
    }

    /** Whether the last call to the store failed: an optional read (a peek) is then not worth another fault. */
    boolean failing() {
        return faults.failuresSinceSuccess() > 0;
    }

    CacheEntry get(String key) {
        Read read = read(key, false);
        return read.entry();
    }

    /**
     * A lookup's first read of {@code key}: unlike {@link #get}, it tells a store that holds nothing from one that
     * could not be asked (a fault, or {@link StoreUnavailableException}), which the lookup reports as a bypass.
     */
    Read read(String key) {
        return read(key, false);
    }

    /**
     * What a read found: the entry (or null), or, when the store was not asked, why ({@code bypass}, a
     * {@link Lookup} detail).
     */
    record Read(CacheEntry entry, String bypass) {

        static final Read UNAVAILABLE = new Read(null, Lookup.STORE_UNAVAILABLE);
        static final Read EVICTIONS_PENDING = new Read(null, Lookup.EVICTIONS_PENDING);
    }

    /**
     * A lookup's first read when this instance's near tier holds a copy of {@code key} that may answer at
     * {@code nowMillis} ({@link TwoLevelStore#nearCopy}); null when there is no near tier or no such copy, for the
     * caller to {@link #readShared(String)} (and time that read against its store budget: a near copy is in memory);
     * {@link Read#UNAVAILABLE} when the near tier failed, as a read of the whole store does.
     */
    Read readNear(String key, long nowMillis) {
        if (!(store instanceof TwoLevelStore layered)) {
            return null;
        }
        if (!remembered.isEmpty()) {
            return Read.EVICTIONS_PENDING;
        }
        long start = events.timesStoreCalls() ? nanoTime.getAsLong() : 0;
        try {
            CacheEntry entry = layered.nearCopy(key, nowMillis);
            if (entry == null) {
                return null;
            }
            faults.succeeded();
            timed(CacheEvents.StoreOperation.GET, start, null);
            return new Read(entry, null);
        } catch (RuntimeException | LinkageError e) {
            // A fault of the store as a whole, as in TwoLevelStore.lookUp, which the other reads go through: logged
            // and counted, and the lookup bypasses. Passed over to the shared store, it was reported only when the
            // shared store held the key (putting the copy back failed too); a key it lacked was a silent miss.
            faults.failed(e);
            timed(CacheEvents.StoreOperation.GET, start, e);
            return Read.UNAVAILABLE;
        }
    }

    /** Whether the store keeps a near copy per instance in front of the shared one ({@link TwoLevelStore}). */
    boolean hasNearTier() {
        return store instanceof TwoLevelStore;
    }

    /** {@link #get}, past this instance's near copy when there is one ({@link TwoLevelStore#getShared}). */
    CacheEntry getShared(String key) {
        return read(key, true).entry();
    }

    /** {@link #read(String)}, past this instance's near copy when there is one. */
    Read readShared(String key) {
        return read(key, true);
    }

    private Read read(String key, boolean shared) {
        if (!remembered.isEmpty()) {
            // The store may hold entries a remembered eviction condemns: nothing is read until it is replayed.
            return Read.EVICTIONS_PENDING;
        }
        long start = events.timesStoreCalls() ? nanoTime.getAsLong() : 0;
        try {
            // A near tier that fails to keep the shared store's answer does not fail the read (see nearCopies).
            CacheEntry entry = !(store instanceof TwoLevelStore layered) ? store.lookUp(key)
                    : shared ? layered.getShared(key, nearCopies) : layered.lookUp(key, nearCopies);
            faults.succeeded();
            timed(CacheEvents.StoreOperation.GET, start, null);
            return new Read(entry, null);
        } catch (StoreUnavailableException e) {
            // Reported by the store itself (its breaker, its fault log): not a second time here.
            timed(CacheEvents.StoreOperation.GET, start, e);
            return Read.UNAVAILABLE;
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            timed(CacheEvents.StoreOperation.GET, start, e);
            return Read.UNAVAILABLE;
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

    /**
     * Hands the entry to the store with its tags and the mark its miss took ({@link ResponseStore#put(CacheEntry,
     * Set, long)}).
     */
    PutResult put(CacheEntry entry, Set<String> tags, long mark) {
        if (!remembered.isEmpty()) {
            // Its mark may precede a remembered eviction, which has not advanced the store's marks yet.
            return PutResult.REFUSED;
        }
        long start = events.timesStoreCalls() ? nanoTime.getAsLong() : 0;
        try {
            boolean accepted = store instanceof TwoLevelStore layered ? layered.put(entry, tags, mark, nearCopies)
                    : store.put(entry, tags, mark);
            faults.succeeded();
            timed(CacheEvents.StoreOperation.PUT, start, null);
            return accepted ? PutResult.STORED : PutResult.REFUSED;
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            timed(CacheEvents.StoreOperation.PUT, start, e);
            return PutResult.FAILED;
        }
    }

    /** What became of a put. */
    enum PutResult {
        /** Handed to the store. */
        STORED,
        /** Refused: one of its tags was evicted since the miss began, so the response is stale and nobody gets it. */
        REFUSED,
        /** The store failed: not stored, yet the response is still the right one for those waiting for it. */
        FAILED
    }

    /** Failed calls since the last success, and the latest fault: what {@link ResponseCache#health()} reports. */
    FaultLog faults() {
        return faults;
    }

    private void timed(CacheEvents.StoreOperation operation, long start, Throwable fault) {
        if (events.timesStoreCalls()) {
            events.storeCall(operation, nanoTime.getAsLong() - start, fault);
        }
    }

    /**
     * The store's invalidation mark, or null when the store failed to give one (nothing may then be stored). A mark
     * given is no sign of recovery (a store may give one from memory), so it does not end a fault episode.
     */
    Long invalidationMark() {
        if (!remembered.isEmpty()) {
            return null;
        }
        long start = events.timesStoreCalls() ? nanoTime.getAsLong() : 0;
        try {
            long mark = store.invalidationMark();
            timed(CacheEvents.StoreOperation.MARK, start, null);
            return mark;
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            timed(CacheEvents.StoreOperation.MARK, start, e);
            return null;
        }
    }

    /**
     * Evicts {@code tags}, or every entry when null, timed like the other calls. Unlike reads and writes, evictions
     * throw: their callers report the fault. An eviction that fails is remembered and replayed once the store answers
     * ({@link RememberedEvictions}), and {@link EvictionRemembered} is thrown; one that comes while others are
     * remembered goes after them, in order, and is thrown at once: the caller does not wait for the replay.
     */
    long evict(Set<String> tags) {
        RememberedEvictions.Eviction eviction = remembered.isEmpty() ? null : remembered.rememberAfterOthers(tags);
        if (eviction == null) {
            try {
                return evictNow(tags);
            } catch (RuntimeException | LinkageError e) {
                failedEvictions.incrementAndGet();
                if (rememberable(e)) {
                    remembered.remember(tags, e);
                    throw new EvictionRemembered(e);
                }
                throw e;
            }
        }
        remembered.replaySoon();
        IllegalStateException late = new IllegalStateException("the store has not answered since an eviction"
                + " failed: this one is remembered after it", lastEvictionFault);
        failedEvictions.incrementAndGet();
        throw new EvictionRemembered(late);
    }

    /** Whether a failed eviction is worth replaying: the store evicts, and the call did not say it cannot. */
    private boolean rememberable(Throwable fault) {
        if (fault instanceof UnsupportedOperationException) {
            return false;
        }
        try {
            return store.evicts();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether a lookup may use the store: false while evictions are remembered, and the lookup must then neither read
     * nor store. It never waits for their replay, which runs in the background ({@link
     * RememberedEvictions#replaySoon()}).
     */
    boolean usableForLookup() {
        return remembered.isEmpty() || remembered.replaySoon();
    }

    /** How many failed evictions are remembered, waiting to be replayed. */
    int rememberedEvictions() {
        return remembered.size();
    }

    /** Evicts now: {@code tags}, or every entry when null. */
    private long evictNow(Set<String> tags) {
        long start = events.timesStoreCalls() ? nanoTime.getAsLong() : 0;
        try {
            long removed = tags == null ? store.evictAll() : store.evict(tags);
            timed(CacheEvents.StoreOperation.EVICT, start, null);
            failedEvictions.set(0);
            return removed;
        } catch (RuntimeException | LinkageError e) {
            timed(CacheEvents.StoreOperation.EVICT, start, e);
            lastEvictionFault = tags != null && !retryable(e) ? new IllegalStateException("the store refused to evict "
                    + RememberedEvictions.describe(tags) + ", which a retry would not change: " + e, e) : e;
            throw e;
        }
    }

    private boolean retryable(Throwable fault) {
        try {
            return store.evictionRetryable(fault);
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    /**
     * Evictions asked for that failed (remembered for replay, or not) since an eviction last succeeded, a replay
     * included; a replay attempt that fails counts for nothing more. Entries they named may be served until their
     * ttl, by the instances that still read them.
     */
    long failedEvictions() {
        return failedEvictions.get();
    }

    /** The latest eviction fault, or null; kept after recovery, like the store's last fault. */
    Throwable lastEvictionFault() {
        return lastEvictionFault;
    }

    ResponseStore store() {
        return store;
    }

    /**
     * The store's {@link ResponseStore#capacityTier()}, or null when it cannot tell or fails to say. A failure is
     * "cannot tell", logged once per episode on its own log: counted as a store fault it made {@link #failing()}
     * true, and every peek bypass as {@code store-unavailable} until the next store call succeeded, for statistics
     * that say nothing of the entries.
     */
    TierSize capacityTier() {
        try {
            TierSize tier = store.capacityTier();
            statisticsFaults.succeeded();
            return tier;
        } catch (RuntimeException | LinkageError e) {
            statisticsFaults.failed(e);
            return null;
        }
    }

    /** The store's {@link ResponseStore#keyLeases()}, or null when it offers none or fails to say. */
    KeyLeases keyLeases() {
        try {
            return store.keyLeases();
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            return null;
        }
    }

    void close() {
        remembered.close();
        try {
            store.close();
        } catch (Exception e) {
            faults.failed(e);
        }
    }
}
