package dev.responsecache.ehcache;

import dev.responsecache.spi.CacheEntry;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ehcache.Cache;

/**
 * Which entries of one Ehcache carry which tags, and which tags were evicted when, so that eviction by tag touches
 * only the tagged entries and a miss that started before an eviction cannot store its stale response after it.
 *
 * <p>One lock orders tagged puts and evictions: a put checks its tags' eviction generations and stores under it, an
 * eviction bumps the generation and removes under it. Puts of different keys thus serialise on the index, a cost
 * paid only on a miss (a hit never takes the lock).
 *
 * <p>The index never outlives its entries: each put checks the {@value #CHECKS_PER_PUT} keys indexed longest ago
 * (a queue in indexing order, the live ones going round again) and drops those whose entry expired or was evicted
 * for room, with the tags left without entries. Every key is so checked at least once per half as many puts as the
 * index holds, so it holds at most about twice the live entries, at a constant cost per put and without the pause
 * of a sweep of the whole index under the lock, which every other miss's put waited for. Every so many puts (as
 * many as the index held the last time) the eviction records are dropped and remembered as one generation,
 * {@code forgottenBefore}: a put whose mark precedes it is refused rather than risk storing a stale response (a
 * store skipped, never a stale hit).
 */
final class LocalTagIndex {

    private static final int MIN_FORGET_INTERVAL = 1024;
    /** More than one, so that the checks outpace the puts, each of which may index one more key. */
    private static final int CHECKS_PER_PUT = 2;

    private final Cache<String, CacheEntry> cache;
    private final Clock clock;
    private final Object lock = new Object();
    /**
     * Per tag, its one key (a String) or its keys (a {@link KeySet}): most tags (a path, a URL) name one entry, and a
     * set per entry would cost a couple of hundred bytes of heap each.
     */
    private final Map<String, Object> keysByTag = new HashMap<>();
    private final Map<String, Indexed> byKey = new HashMap<>();
    private final Map<String, Long> evictedAt = new HashMap<>();
    /** Every indexed key's record, oldest first; a record no longer current is dropped when it comes up. */
    private final ArrayDeque<Indexed> checkOrder = new ArrayDeque<>();
    /**
     * Written under the lock, read without it: every miss reads it, and waiting for the lock behind a put (or a
     * sweep) stalled every miss of the application. A mark read while an eviction runs is still correct: the
     * eviction's generation is bumped before it removes anything, after the application changed its data, so a miss
     * that reads the new generation started after that change.
     */
    private volatile long generation;
    private long forgottenBefore;
    private long allEvictedAt;
    private int putsSinceForgetting;
    private int keysAtForgetting;

    LocalTagIndex(Cache<String, CacheEntry> cache, Clock clock) {
        this.cache = cache;
        this.clock = clock;
    }

    long mark() {
        return generation;
    }

    /** Stores the entry with its tags, unless one of them (or everything) was evicted after {@code mark}. */
    boolean put(CacheEntry entry, Set<String> tags, long mark) {
        synchronized (lock) {
            if (mark < allEvictedAt || mark < forgottenBefore) {
                return false;
            }
            for (String tag : tags) {
                Long evicted = evictedAt.get(tag);
                if (evicted != null && evicted > mark) {
                    return false;
                }
            }
            cache.put(entry.key(), entry);
            // Indexed until the entry leaves the store (past its expiry when it may still answer stale).
            long now = clock.millis();
            long retainedUntil = now + entry.retainedMillis(now);
            Indexed indexed = new Indexed(entry.key(), Set.copyOf(tags), retainedUntil);
            Indexed previous = byKey.put(entry.key(), indexed);
            checkOrder.addLast(indexed);
            if (previous != null) {
                previous.current = false;
            }
            if (previous != null) {
                for (String tag : previous.tags()) {
                    if (!tags.contains(tag)) {
                        unlink(tag, entry.key());
                    }
                }
            }
            for (String tag : tags) {
                link(tag, entry.key());
            }
            checkOldest(now);
            if (++putsSinceForgetting > Math.max(MIN_FORGET_INTERVAL, keysAtForgetting)) {
                forgetEvictions();
            }
            return true;
        }
    }

    long evict(Set<String> tags) {
        synchronized (lock) {
            generation++;
            long removed = 0;
            for (String tag : tags) {
                evictedAt.put(tag, generation);
                for (String key : keysOf(keysByTag.remove(tag))) {
                    Indexed indexed = byKey.remove(key);
                    if (indexed == null) {
                        continue;
                    }
                    indexed.current = false;
                    for (String other : indexed.tags()) {
                        if (!other.equals(tag)) {
                            unlink(other, key);
                        }
                    }
                    if (cache.containsKey(key)) {
                        removed++;
                    }
                    cache.remove(key);
                }
            }
            return removed;
        }
    }

    long evictAll() {
        synchronized (lock) {
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
            checkOrder.clear();
            keysByTag.clear();
            evictedAt.clear();
            return removed;
        }
    }

    /** The number of keys and tags the index holds, for tests of its bound. */
    int size() {
        synchronized (lock) {
            return byKey.size() + keysByTag.size() + evictedAt.size();
        }
    }

    private void unlink(String tag, String key) {
        Object keys = keysByTag.get(tag);
        if (key.equals(keys) || keys instanceof KeySet set && set.remove(key) && set.isEmpty()) {
            keysByTag.remove(tag);
        }
    }

    private void link(String tag, String key) {
        Object keys = keysByTag.get(tag);
        if (keys == null) {
            keysByTag.put(tag, key);
        } else if (keys instanceof KeySet set) {
            set.add(key);
        } else if (!keys.equals(key)) {
            KeySet set = new KeySet();
            set.add((String) keys);
            set.add(key);
            keysByTag.put(tag, set);
        }
    }

    private static Collection<String> keysOf(Object keys) {
        if (keys == null) {
            return List.of();
        }
        return keys instanceof KeySet set ? set : List.of((String) keys);
    }

    /** Drops the oldest indexed keys whose entry is gone; the others go round again. */
    private void checkOldest(long now) {
        for (int i = 0; i < CHECKS_PER_PUT; i++) {
            Indexed indexed = checkOrder.pollFirst();
            if (indexed == null) {
                return;
            }
            // A flag on the record rather than a look-up in the index: the oldest keys are cold in the CPU's caches.
            if (!indexed.current) {
                // Replaced by a later put (queued again with it) or evicted by tag (already unlinked).
                continue;
            }
            if (indexed.expiresAtMillis() <= now || !cache.containsKey(indexed.key())) {
                byKey.remove(indexed.key());
                for (String tag : indexed.tags()) {
                    unlink(tag, indexed.key());
                }
            } else {
                checkOrder.addLast(indexed);
            }
        }
    }

    private void forgetEvictions() {
        putsSinceForgetting = 0;
        keysAtForgetting = byKey.size();
        if (!evictedAt.isEmpty()) {
            evictedAt.clear();
            // Every mark taken before the latest eviction is below it; marks taken since are equal to it and fine.
            forgottenBefore = generation;
        }
    }

    /** The keys of a tag that names more than one entry. */
    private static final class KeySet extends HashSet<String> {
        private static final long serialVersionUID = 1L;
    }

    /** A key's tags and retention, and whether it is still the key's record in the index (read under the lock). */
    private static final class Indexed {
        private final String key;
        private final Set<String> tags;
        private final long expiresAtMillis;
        private boolean current = true;

        Indexed(String key, Set<String> tags, long expiresAtMillis) {
            this.key = key;
            this.tags = tags;
            this.expiresAtMillis = expiresAtMillis;
        }

        String key() {
            return key;
        }

        Set<String> tags() {
            return tags;
        }

        long expiresAtMillis() {
            return expiresAtMillis;
        }
    }
}
