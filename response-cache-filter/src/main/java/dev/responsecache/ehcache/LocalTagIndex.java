package dev.responsecache.ehcache;

import dev.responsecache.spi.CacheEntry;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

import org.ehcache.Cache;

/**
 * Which entries of one Ehcache carry which tags, and which tags were evicted when, so that eviction by tag touches only
 * the tagged entries and a miss that started before an eviction cannot store its stale response after it.
 *
 * <p>A read-write lock orders tagged puts against evictions, not puts against each other: a put holds it shared while
 * it checks its tags' eviction generations, stores the entry and links its tags; an eviction holds it alone while it
 * bumps the generation and removes. So a put either stores and links before an eviction of one of its tags (which then
 * removes the entry) or sees the eviction and stores nothing, and puts of different keys run in parallel. Per key, the
 * Ehcache put and the key's record change together inside {@code byKey.compute}: two puts of one key with different
 * tags leave the entry the cache holds indexed under its own tags, never the other put's (an eviction by tag would miss
 * it: a stale hit). A tag's one key changes only atomically ({@code putIfAbsent}, {@code compute}); the keys of a tag
 * that names several entries (every miss of a path links its path tag) are a concurrent set that a put adds to without
 * the map's lock, and that leaves the map only with the lock held alone. A hit never touches the index, and
 * {@link #mark()} is a volatile read.
 *
 * <p>The index never outlives its entries: once it holds (with its eviction records) twice the keys it kept after its
 * last sweep (at least {@value #MIN_SWEEP_INTERVAL}), it sweeps itself, dropping the keys whose entry expired or was
 * evicted for room and the tags left without entries, so it holds at most about twice the live entries. The sweep takes
 * no lock: one thread at a time walks {@value #SWEEP_SLICE} keys of it after its own put, the next put goes on, so no
 * request walks the whole index and none waits for one that does. A key is dropped inside
 * {@code byKey.computeIfPresent}, its entry checked there again, so a put of that key in between is never unindexed.
 * At the end of a sweep, the eviction records are dropped (under the lock, held alone, briefly) and remembered as one
 * generation, {@code forgottenBefore}: a put whose mark precedes it is refused rather than risk storing a stale
 * response (a store skipped, never a stale hit).
 */
final class LocalTagIndex {

    private static final int MIN_SWEEP_INTERVAL = 1024;
    /** Keys a put walks at most for the sweep: tens of microseconds (the whole index took tens of milliseconds). */
    private static final int SWEEP_SLICE = 64;

    private final Cache<String, CacheEntry> cache;
    /** Held shared by puts, alone by evictions and by the sweep when it forgets the eviction records. */
    private final StampedLock lock = new StampedLock();
    /**
     * Per tag, its one key (a String) or its keys (a {@link KeySet}): most tags (a path, a URL) name one entry, and a
     * set per entry would cost a couple of hundred bytes of heap each.
     */
    private final ConcurrentHashMap<String, Object> keysByTag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Indexed> byKey = new ConcurrentHashMap<>();
    /** The sets of keys left empty, to unmap with the lock held alone. */
    private final Queue<KeySet> emptied = new ConcurrentLinkedQueue<>();
    /** Written with the lock held alone, read with it held shared (its size by the sweep, without it). */
    private final ConcurrentHashMap<String, Long> evictedAt = new ConcurrentHashMap<>();
    /**
     * Written with the lock held alone, read without it: every miss reads it, and waiting for the lock behind a put
     * (or a sweep) stalled every miss of the application. A mark read while an eviction runs is still correct: the
     * eviction's generation is bumped before it removes anything, after the application changed its data, so a miss
     * that reads the new generation started after that change.
     */
    private volatile long generation;
    /** Written with the lock held alone, read with it held. */
    private long forgottenBefore;
    /** Written with the lock held alone, read with it held. */
    private long allEvictedAt;
    /** Held by the one thread that walks the sweep. */
    private final AtomicBoolean sweeping = new AtomicBoolean();
    /** The size (keys and eviction records) past which a put starts a sweep; {@code -1} while one is under way. */
    private volatile long sweepPast = MIN_SWEEP_INTERVAL;
    /** Where the sweep under way is, or null: read and moved only by the thread holding {@link #sweeping}. */
    private Iterator<Map.Entry<String, Indexed>> sweepCursor;
    /** Run before each slice of the sweep: a test holds the sweep there. */
    private final Runnable beforeSweepSlice;

    LocalTagIndex(Cache<String, CacheEntry> cache) {
        this(cache, () -> { });
    }

    /** With {@code beforeSweepSlice} run before each slice of the sweep, holding no lock: for tests only. */
    LocalTagIndex(Cache<String, CacheEntry> cache, Runnable beforeSweepSlice) {
        this.cache = cache;
        this.beforeSweepSlice = beforeSweepSlice;
    }

    long mark() {
        return generation;
    }

    /** Stores the entry with its tags, unless one of them (or everything) was evicted after {@code mark}. */
    boolean put(CacheEntry entry, Set<String> tags, long mark) {
        long stamp = lock.readLock();
        try {
            if (mark < allEvictedAt || mark < forgottenBefore) {
                return false;
            }
            for (String tag : tags) {
                // A record keeps its tags in fields where null means none: a null tag would be linked, never unlinked.
                Objects.requireNonNull(tag, "tag");
                Long evicted = evictedAt.get(tag);
                if (evicted != null && evicted > mark) {
                    return false;
                }
            }
            byKey.compute(entry.key(), (key, previous) -> store(entry, tags, previous));
        } finally {
            lock.unlockRead(stamp);
        }
        if (sweepDue()) {
            sweepSlice();
        }
        return true;
    }

    /** Stores the entry and returns its key's new record; runs inside {@code byKey.compute} of its key. */
    private Indexed store(CacheEntry entry, Set<String> tags, Indexed previous) {
        String key = entry.key();
        // Indexed until the entry leaves the store (past its expiry when it may still answer stale), which the sweep
        // asks the store itself.
        cache.put(key, entry);
        // Linked first, so that the record keeps the index's own instance of a tag many entries share (a path)
        // rather than a copy per entry.
        String[] held = new String[tags.size()];
        int i = 0;
        for (String tag : tags) {
            held[i++] = link(tag, key);
        }
        if (previous != null) {
            previous.forEachTag(tag -> {
                if (!tags.contains(tag)) {
                    unlink(tag, key);
                }
            });
        }
        return Indexed.of(held);
    }

    long evict(Set<String> tags) {
        long stamp = lock.writeLock();
        try {
            generation++;
            long removed = 0;
            for (String tag : tags) {
                evictedAt.put(tag, generation);
                for (String key : keysOf(keysByTag.remove(tag))) {
                    Indexed indexed = byKey.remove(key);
                    if (indexed != null) {
                        indexed.forEachTag(other -> {
                            if (!other.equals(tag)) {
                                unlink(other, key);
                            }
                        });
                    }
                    // Removed even when the sweep dropped the key meanwhile (its entry had left): nothing to lose.
                    if (cache.containsKey(key)) {
                        removed++;
                    }
                    cache.remove(key);
                }
            }
            dropEmptied();
            return removed;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    long evictAll() {
        long stamp = lock.writeLock();
        try {
            generation++;
            allEvictedAt = generation;
            long removed = 0;
            for (String key : byKey.keySet()) {
                if (cache.containsKey(key)) {
                    removed++;
                }
            }
            cache.clear();
            byKey.clear();
            keysByTag.clear();
            evictedAt.clear();
            emptied.clear();
            return removed;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** The number of keys and tags the index holds, for tests of its bound. */
    int size() {
        return byKey.size() + keysByTag.size() + evictedAt.size();
    }

    /** The instance of {@code tag} the index holds for {@code key}, or null: for tests that a shared tag is one. */
    String heldTag(String key, String tag) {
        Indexed indexed = byKey.get(key);
        String[] held = new String[1];
        if (indexed != null) {
            indexed.forEachTag(candidate -> {
                if (candidate.equals(tag)) {
                    held[0] = candidate;
                }
            });
        }
        return held[0];
    }

    /**
     * Unlinks {@code key} from {@code tag}. A set of keys left empty stays mapped until the lock is held alone (see
     * {@link KeySet}); a tag's one key is unmapped at once.
     */
    private void unlink(String tag, String key) {
        if (keysByTag.get(tag) instanceof KeySet set) {
            set.remove(key, emptied);
            return;
        }
        keysByTag.computeIfPresent(tag, (t, keys) -> {
            if (keys instanceof KeySet set) {
                set.remove(key, emptied);
                return set;
            }
            return key.equals(keys) ? null : keys;
        });
    }

    /**
     * Links {@code key} to {@code tag}, with the lock held shared; returns the instance of the tag to keep (the shared
     * one, if any). A tag that names several entries (a path) takes no lock of the map: every miss of the path would
     * wait on it.
     */
    private String link(String tag, String key) {
        Object linked = keysByTag.get(tag);
        if (linked instanceof KeySet set) {
            set.keys.add(key);
            return set.tag;
        }
        // Most tags (a URL) name one entry: mapped without a lock of the map either.
        if (linked == null && keysByTag.putIfAbsent(tag, key) == null) {
            return tag;
        }
        Object keys = keysByTag.compute(tag, (t, current) -> {
            if (current == null) {
                return key;
            }
            if (current instanceof KeySet set) {
                set.keys.add(key);
                return set;
            }
            if (current.equals(key)) {
                return current;
            }
            KeySet set = new KeySet(tag);
            set.keys.add((String) current);
            set.keys.add(key);
            return set;
        });
        return keys instanceof KeySet set ? set.tag : tag;
    }

    /** Unmaps the sets of keys left empty, with the lock held alone (no put can be adding to one). */
    private void dropEmptied() {
        for (KeySet set; (set = emptied.poll()) != null; ) {
            set.queued.set(false);
            if (set.keys.isEmpty()) {
                keysByTag.remove(set.tag, set);
            }
        }
    }

    private static Collection<String> keysOf(Object keys) {
        if (keys == null) {
            return List.of();
        }
        return keys instanceof KeySet set ? set.keys : List.of((String) keys);
    }

    private boolean sweepDue() {
        return byKey.mappingCount() + evictedAt.mappingCount() > sweepPast;
    }

    /** One slice of the sweep, unless another thread is walking it: it will go on with the next put. */
    private void sweepSlice() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            if (sweepCursor == null) {
                // Checked again: the sweep this put saw due may have ended since.
                if (!sweepDue()) {
                    return;
                }
                sweepPast = -1;
                sweepCursor = byKey.entrySet().iterator();
            }
            beforeSweepSlice.run();
            for (int i = 0; i < SWEEP_SLICE && sweepCursor.hasNext(); i++) {
                Map.Entry<String, Indexed> indexed = sweepCursor.next();
                if (left(indexed.getKey())) {
                    // Checked again under the key's lock: a put of the key may have stored it since.
                    byKey.computeIfPresent(indexed.getKey(), (key, current) -> left(key)
                            ? unlinked(key, current) : current);
                }
            }
            if (!sweepCursor.hasNext()) {
                sweepCursor = null;
                forgetEvictions();
                sweepPast = Math.max(MIN_SWEEP_INTERVAL, 2 * byKey.mappingCount());
            }
        } finally {
            sweeping.set(false);
        }
    }

    /**
     * Whether the entry of {@code key} left the cache: evicted for room, or expired (Ehcache answers no for an entry
     * past its retention, and drops it then).
     */
    private boolean left(String key) {
        return !cache.containsKey(key);
    }

    /** Unlinks {@code key} from its tags; returns null, for {@code computeIfPresent} to drop it. */
    private Indexed unlinked(String key, Indexed indexed) {
        indexed.forEachTag(tag -> unlink(tag, key));
        return null;
    }

    /** At the end of a sweep: drops the eviction records and the sets of keys left empty. */
    private void forgetEvictions() {
        if (evictedAt.isEmpty() && emptied.isEmpty()) {
            return;
        }
        long stamp = lock.writeLock();
        try {
            if (!evictedAt.isEmpty()) {
                evictedAt.clear();
                // Every mark taken before the latest eviction is below it; marks taken since are equal to it and fine.
                forgottenBefore = generation;
            }
            dropEmptied();
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * The keys of a tag that names more than one entry, and the tag itself: the one instance that the records of
     * all those keys hold. Its keys change without the map's lock (a put adds with the index's lock held shared),
     * so it leaves the map only with the index's lock held alone: one left empty waits in {@code emptied} until then.
     */
    private static final class KeySet {
        private final String tag;
        private final Set<String> keys = ConcurrentHashMap.newKeySet();
        /** Whether it waits in {@code emptied}: once is enough. */
        private final AtomicBoolean queued = new AtomicBoolean();

        KeySet(String tag) {
            this.tag = tag;
        }

        void remove(String key, Queue<KeySet> emptied) {
            if (keys.remove(key) && keys.isEmpty() && !queued.getAndSet(true)) {
                emptied.add(this);
            }
        }
    }

    /**
     * A key's tags. Most entries carry two tags (their path and URL), held in fields: one object of 24 bytes per key
     * rather than a record and a set, since every stored miss keeps one until it leaves the store and the collector
     * copies and scans each of them. It keeps no expiry: whether its entry is still there is the store's to say.
     */
    private static final class Indexed {
        private final String first;
        private final String second;
        /** The tags past the second one, or null. */
        private final String[] more;

        private Indexed(String first, String second, String[] more) {
            this.first = first;
            this.second = second;
            this.more = more;
        }

        static Indexed of(String[] tags) {
            return new Indexed(tags.length > 0 ? tags[0] : null, tags.length > 1 ? tags[1] : null,
                    tags.length > 2 ? Arrays.copyOfRange(tags, 2, tags.length) : null);
        }

        void forEachTag(Consumer<String> action) {
            if (first != null) {
                action.accept(first);
            }
            if (second != null) {
                action.accept(second);
            }
            if (more != null) {
                for (String tag : more) {
                    action.accept(tag);
                }
            }
        }
    }
}
