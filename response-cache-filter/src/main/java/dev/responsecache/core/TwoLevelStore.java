package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EvictionFeed;
import dev.responsecache.spi.KeyLeases;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreStatus;
import dev.responsecache.spi.StoreUnavailableException;
import dev.responsecache.spi.TierSize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import java.time.Clock;
import java.time.Duration;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.LoggerFactory;

/**
 * A per-instance near tier in front of a shared store: reads try the near tier first and keep what the shared store
 * returns. A near copy expires with its entry ({@link CacheEntry#expiresAtMillis()}: past it, each read asks the
 * shared store again, where another instance may have refreshed it; and it is dropped with the shared one at
 * {@link CacheEntry#retainedMillis(long)}); an eviction by any instance reaches it through the shared store's
 * {@link EvictionFeed}, and while the feed is down the near tier is bypassed. A header-driven entry expires at the
 * end of its retention, past the freshness only its headers tell: the engine reads past a copy it finds stale
 * ({@link #getShared}), as it does under a lease, where another instance's refresh must be seen.
 */
final class TwoLevelStore implements ResponseStore {

    private final ResponseStore near;
    private final Clock clock;
    private final ResponseStore shared;
    private final EvictionFeed feed;
    private final String sharedName;
    private final String nearBound;
    /** Counts drops of the near tier, so that a copy read from the shared store before a drop is not kept after it. */
    private final AtomicLong drops = new AtomicLong();
    /** Counts stores, so that a copy read before a store of a newer entry does not replace that entry's near copy. */
    private final AtomicLong stores = new AtomicLong();

    TwoLevelStore(ResponseStore near, ResponseStore shared) {
        this(near, shared, null);
    }

    /**
     * @param clock the cache's clock: a near copy past its expiry is then read again from the shared store, where
     *              another instance may have refreshed it (one refresh per cluster); null: near copies answer until
     *              they are dropped
     */
    TwoLevelStore(ResponseStore near, ResponseStore shared, Clock clock) {
        this(near, shared, clock, null, null);
    }

    /**
     * @param sharedName the shared store's name ({@code responsecache.store}), for the warning {@link #started()}
     *                   gives when it offers no eviction feed; null for none
     * @param nearBound  the setting that made the near tier ({@code near-cache.max-entries} or
     *                   {@code near-cache.heap-size}), named by that warning
     */
    TwoLevelStore(ResponseStore near, ResponseStore shared, Clock clock, String sharedName, String nearBound) {
        this.sharedName = sharedName;
        this.nearBound = nearBound;
        this.clock = clock;
        this.near = near;
        this.shared = shared;
        this.feed = shared.evictionFeed();
    }

    /**
     * Empties the near tier: its copies, read back from the shared store, carry no tags here, so any eviction drops
     * them all (the near tier is small and refills from the shared store in one round trip per entry).
     */
    private void dropNear() {
        drops.incrementAndGet();
        near.evictAll();
    }

    /**
     * Told whether a copy of what the shared store answered or accepted was kept in the near tier. A near tier that
     * fails to keep one is no fault of the answer, which the shared store gave: the caller serves it and reports the
     * near tier's fault ({@code FailSafeStore}); the read or store is not failed for it.
     */
    interface NearCopies {

        /** For a caller that reports nothing of its own: the near tier's fault fails the call, as any fault does. */
        NearCopies THROWN = new NearCopies() {
            @Override
            public void kept() {
                // Nothing to report.
            }

            @Override
            public void notKept(RuntimeException fault) {
                throw fault;
            }
        };

        /** A copy was put in the near tier. */
        void kept();

        /** Putting a copy in the near tier threw {@code fault}; any copy it held of the key is dropped already. */
        void notKept(RuntimeException fault);
    }

    /**
     * Puts {@code entry} in the near tier; if that fails, the near tier is emptied, as far as it still can be (a copy
     * it held of the key may be older than {@code entry}, and must not answer in its place), and the fault told.
     *
     * @return whether it was kept (if not, the near tier was dropped already, or cannot be)
     */
    private boolean keepNear(CacheEntry entry, NearCopies copies) {
        try {
            near.put(entry);
        } catch (RuntimeException e) {
            try {
                dropNear();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            copies.notKept(e);
            return false;
        }
        return true;
    }

    @Override
    public CacheEntry get(String key) {
        try {
            return lookUp(key);
        } catch (StoreUnavailableException e) {
            return null;
        }
    }

    /** The near copy, else the shared store's entry; throws when the shared store could not be asked. */
    @Override
    public CacheEntry lookUp(String key) {
        return lookUp(key, NearCopies.THROWN);
    }

    /** {@link #lookUp(String)}, telling {@code copies} whether the shared store's entry was kept here. */
    CacheEntry lookUp(String key, NearCopies copies) {
        boolean nearUsable = feed == null || feed.live();
        if (nearUsable) {
            CacheEntry entry = unexpired(near.get(key), key, clock == null ? 0 : clock.millis());
            if (entry != null) {
                return entry;
            }
        }
        return fromShared(key, nearUsable, copies);
    }

    /**
     * This instance's copy of {@code key} when it may answer at {@code nowMillis} (the cache's clock, read by the
     * caller for its request), else null, for the caller to read the shared store ({@link #lookUp}): memory only, no
     * call that the engine times against the store budget, and no second read of the clock.
     */
    CacheEntry nearCopy(String key, long nowMillis) {
        return feed == null || feed.live() ? unexpired(near.get(key), key, nowMillis) : null;
    }

    private CacheEntry unexpired(CacheEntry entry, String key, long nowMillis) {
        if (entry != null && entry.key().equals(key) && (clock == null || nowMillis < entry.expiresAtMillis())) {
            return entry;
        }
        // Expired here: another instance may have refreshed it in the shared store since, or evicted it (its message
        // may still be on its way): the shared store says which.
        return null;
    }

    /**
     * The shared store's entry, past this instance's near copy (which then takes it): what a reader that must not
     * trust a copy another instance may have replaced reads (a header-driven entry is kept here past its freshness,
     * which only the engine can judge, so a stale copy may hide another instance's refresh).
     */
    CacheEntry getShared(String key) {
        return getShared(key, NearCopies.THROWN);
    }

    /** {@link #getShared(String)}, telling {@code copies} whether the shared store's entry was kept here. */
    CacheEntry getShared(String key, NearCopies copies) {
        return fromShared(key, feed == null || feed.live(), copies);
    }

    /**
     * The shared store's entry, kept here when the near tier is usable. A near tier that fails to keep it is told to
     * {@code copies}: the shared store answered, and its answer stands.
     */
    private CacheEntry fromShared(String key, boolean nearUsable, NearCopies copies) {
        long dropsBefore = drops.get();
        long storesBefore = stores.get();
        CacheEntry entry = shared.lookUp(key);
        if (nearUsable && entry != null && entry.key().equals(key)) {
            try {
                near.put(entry);
            } catch (RuntimeException e) {
                // Nothing was kept: the copy the near tier may hold was read past (expired, or stale to the engine),
                // and answers no more than before.
                copies.notKept(e);
                return entry;
            }
            if (!droppedSince(dropsBefore) && stores.get() != storesBefore) {
                // A store (a refresh, a revalidation) may have put a newer entry here before this older copy.
                // Null when Redis went between the two reads: the first one stands, and the check below still runs.
                CacheEntry current = shared.get(key);
                if (current != null && current.key().equals(key) && !keepNear(current, copies)) {
                    // The older copy just kept must not answer: keepNear dropped it (as far as it could).
                    return entry;
                }
            }
            // Checked after the last copy: an eviction heard while reading again would otherwise leave that copy.
            if (droppedSince(dropsBefore)) {
                dropNear();
            }
            copies.kept();
        }
        return entry;
    }

    /** Whether an eviction (or a lost feed) came since {@code dropsBefore}: a copy made meanwhile may be stale. */
    private boolean droppedSince(long dropsBefore) {
        return drops.get() != dropsBefore || feed != null && !feed.live();
    }

    @Override
    public void put(CacheEntry entry) {
        long dropsBefore = drops.get();
        stores.incrementAndGet();
        shared.put(entry);
        if (feed == null || feed.live()) {
            near.put(entry);
            if (droppedSince(dropsBefore)) {
                dropNear();
            }
        }
    }

    /** The near tier is in memory: only the shared store's calls are bounded. */
    @Override
    public Duration callBound() {
        return shared.callBound();
    }

    @Override
    public long invalidationMark() {
        return shared.invalidationMark();
    }

    /**
     * Stores in the shared store, then, once it has accepted the entry (it may refuse one whose tags were evicted
     * during the miss), replaces this instance's near copy: a re-stored key (a refresh, a revalidation) must not keep
     * answering from the older copy here until it expires.
     */
    @Override
    public boolean put(CacheEntry entry, Set<String> tags, long mark) {
        return put(entry, tags, mark, NearCopies.THROWN);
    }

    /**
     * {@link #put(CacheEntry, Set, long)}, telling {@code copies} whether the entry the shared store accepted was kept
     * here: stored there, it is stored, whatever the near tier does.
     */
    boolean put(CacheEntry entry, Set<String> tags, long mark, NearCopies copies) {
        long dropsBefore = drops.get();
        stores.incrementAndGet();
        boolean stored = shared.put(entry, tags, mark);
        if (stored && (feed == null || feed.live())) {
            // Failing, an older copy of the key must not answer in this one's place: keepNear dropped it.
            boolean kept = keepNear(entry, copies);
            if (kept && droppedSince(dropsBefore)) {
                // An eviction (or a lost feed) came during the store: the copy may already be evicted elsewhere.
                dropNear();
            }
            if (kept) {
                copies.kept();
            }
        }
        return stored;
    }

    @Override
    public boolean evicts() {
        return shared.evicts();
    }

    /** Evicts from the shared store, then drops this instance's near tier; the feed tells the other instances. */
    @Override
    public long evict(Set<String> tags) {
        try {
            return shared.evict(tags);
        } finally {
            dropNear();
        }
    }

    @Override
    public boolean evictionRetryable(Throwable fault) {
        return shared.evictionRetryable(fault);
    }

    @Override
    public long evictAll() {
        try {
            return shared.evictAll();
        } finally {
            dropNear();
        }
    }

    @Override
    public EvictionFeed evictionFeed() {
        return feed;
    }

    /** Leases are the shared store's: the instances contend there. */
    @Override
    public KeyLeases keyLeases() {
        return shared.keyLeases();
    }

    /**
     * The shared store says whether it answers, then the feed starts listening (until then it is not live, so the
     * near tier keeps no copies): a feed that cannot connect warns from its own thread, which must not come before
     * the cache's start-up line either. Without a feed, that is said here too, after the line that names the store
     * and the near tier.
     */
    @Override
    public void started() {
        shared.started();
        startedNear(false);
    }

    /**
     * As {@link #started()}, the shared store carrying over what the one it replaces reported (it unwraps that one's
     * near tier), and the missing feed not warned of again when the replaced store was one of these without it.
     */
    @Override
    public void startedInPlaceOf(ResponseStore replaced) {
        TwoLevelStore two = replaced instanceof TwoLevelStore tiers ? tiers : null;
        shared.startedInPlaceOf(two == null ? replaced : two.shared);
        startedNear(two != null && two.feed == null && two.sharedName != null);
    }

    private void startedNear(boolean feedlessWarned) {
        near.started();
        if (feed != null) {
            feed.listen(this::dropNear);
        } else if (sharedName != null && !feedlessWarned) {
            LoggerFactory.getLogger("dev.responsecache").warn("The store '{}' offers no eviction feed: an eviction by"
                    + " another instance reaches this instance's near tier ({}) only when its copies expire",
                    sharedName, nearBound);
        }
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

    /** The shared store's faults: the near tier is local memory and has none of its own. */
    @Override
    public Map<String, Long> faultCounts() {
        return shared.faultCounts();
    }

    /**
     * The shared store's: what it keeps is what every instance may read. The near tier evicting only means this
     * instance reads more of the shared store, which admission would not spare (the miss stores there first).
     */
    @Override
    public TierSize capacityTier() {
        return shared.capacityTier();
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
