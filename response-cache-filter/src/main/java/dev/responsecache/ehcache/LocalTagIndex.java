package dev.responsecache.ehcache;

import dev.responsecache.spi.CacheEntry;

import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import org.ehcache.Cache;

/**
 * Which entries of one Ehcache carry which tags, and which tags were evicted when, so that eviction by tag touches
 * only the tagged entries and a miss that started before an eviction cannot store its stale response after it.
 *
 * <p>One lock orders tagged puts and evictions: a put checks its tags' eviction generations and stores under it, an
 * eviction bumps the generation and removes under it. Puts of different keys thus serialise on the index, a cost
 * paid only on a miss (a hit never takes the lock).
 *
 * <p>The index never outlives its entries: every so many puts (as many as the index kept at its last sweep, so the
 * cost per put stays constant and the index holds at most about twice the live entries) it drops the keys whose entry expired or was evicted for room, and the tags left without entries. An
 * eviction record so dropped is remembered as one generation, {@code forgottenBefore}: a put whose mark precedes it
 * is refused rather than risk storing a stale response (a store skipped, never a stale hit).
 */
final class LocalTagIndex {

    private static final int MIN_SWEEP_INTERVAL = 1024;

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
    /**
     * Written under the lock, read without it: every miss reads it, and waiting for the lock behind a put (or a
     * sweep) stalled every miss of the application. A mark read while an eviction runs is still correct: the
     * eviction's generation is bumped before it removes anything, after the application changed its data, so a miss
     * that reads the new generation started after that change.
     */
    private volatile long generation;
    private long forgottenBefore;
    private long allEvictedAt;
    private int putsSinceSweep;
    private int keysAfterSweep;

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
                // A record keeps its tags in fields where null means none: a null tag would be linked, never unlinked.
                Objects.requireNonNull(tag, "tag");
                Long evicted = evictedAt.get(tag);
                if (evicted != null && evicted > mark) {
                    return false;
                }
            }
            cache.put(entry.key(), entry);
            // Indexed until the entry leaves the store (past its expiry when it may still answer stale).
            long now = clock.millis();
            long retainedUntil = now + entry.retainedMillis(now);
            // Linked first, so that the record keeps the index's own instance of a tag many entries share (a path)
            // rather than a copy per entry.
            String[] held = new String[tags.size()];
            int i = 0;
            for (String tag : tags) {
                held[i++] = link(tag, entry.key());
            }
            Indexed previous = byKey.put(entry.key(), Indexed.of(held, retainedUntil));
            if (previous != null) {
                previous.forEachTag(tag -> {
                    if (!tags.contains(tag)) {
                        unlink(tag, entry.key());
                    }
                });
            }
            if (++putsSinceSweep > Math.max(MIN_SWEEP_INTERVAL, keysAfterSweep)) {
                sweep();
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
                    indexed.forEachTag(other -> {
                        if (!other.equals(tag)) {
                            unlink(other, key);
                        }
                    });
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

    /** The instance of {@code tag} the index holds for {@code key}, or null: for tests that a shared tag is one. */
    String heldTag(String key, String tag) {
        synchronized (lock) {
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
    }

    private void unlink(String tag, String key) {
        Object keys = keysByTag.get(tag);
        if (key.equals(keys) || keys instanceof KeySet set && set.remove(key) && set.isEmpty()) {
            keysByTag.remove(tag);
        }
    }

    /** Links {@code key} to {@code tag}; returns the instance of the tag to keep (the shared one, if any). */
    private String link(String tag, String key) {
        Object keys = keysByTag.get(tag);
        if (keys == null) {
            keysByTag.put(tag, key);
        } else if (keys instanceof KeySet set) {
            set.add(key);
            return set.tag;
        } else if (!keys.equals(key)) {
            KeySet set = new KeySet(tag);
            set.add((String) keys);
            set.add(key);
            keysByTag.put(tag, set);
        }
        return tag;
    }

    private static Collection<String> keysOf(Object keys) {
        if (keys == null) {
            return List.of();
        }
        return keys instanceof KeySet set ? set : List.of((String) keys);
    }

    private void sweep() {
        putsSinceSweep = 0;
        long now = clock.millis();
        for (Iterator<Map.Entry<String, Indexed>> it = byKey.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Indexed> indexed = it.next();
            if (indexed.getValue().expiresAtMillis() <= now || !cache.containsKey(indexed.getKey())) {
                it.remove();
                String key = indexed.getKey();
                indexed.getValue().forEachTag(tag -> unlink(tag, key));
            }
        }
        keysAfterSweep = byKey.size();
        if (!evictedAt.isEmpty()) {
            evictedAt.clear();
            // Every mark taken before the latest eviction is below it; marks taken since are equal to it and fine.
            forgottenBefore = generation;
        }
    }

    /**
     * The keys of a tag that names more than one entry, and the tag itself: the one instance that the records of
     * all those keys hold.
     */
    private static final class KeySet extends HashSet<String> {
        private static final long serialVersionUID = 1L;
        private final String tag;

        KeySet(String tag) {
            this.tag = tag;
        }
    }

    /**
     * A key's tags and until when it is indexed. Most entries carry two tags (their path and URL), held in fields:
     * one object per key rather than a record and a set, since every stored miss keeps one until it leaves the
     * store and the collector copies and scans each of them.
     */
    private static final class Indexed {
        private final String first;
        private final String second;
        /** The tags past the second one, or null. */
        private final String[] more;
        private final long expiresAtMillis;

        private Indexed(String first, String second, String[] more, long expiresAtMillis) {
            this.first = first;
            this.second = second;
            this.more = more;
            this.expiresAtMillis = expiresAtMillis;
        }

        static Indexed of(String[] tags, long expiresAtMillis) {
            return new Indexed(tags.length > 0 ? tags[0] : null, tags.length > 1 ? tags[1] : null,
                    tags.length > 2 ? Arrays.copyOfRange(tags, 2, tags.length) : null, expiresAtMillis);
        }

        long expiresAtMillis() {
            return expiresAtMillis;
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
