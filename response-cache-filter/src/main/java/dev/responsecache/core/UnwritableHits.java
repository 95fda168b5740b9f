package dev.responsecache.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys whose hit the JAX-RS runtime could not write (a response wrapper in front of it refused one of the hit's
 * lines), each until the entry it had would have left the store: their requests are served uncached meanwhile, so
 * that only the first hit of such an entry fails. Bounded: past {@link #MAX} keys, those whose time has passed are
 * swept, and a key is not remembered while it stays full (its hits fail again, as before).
 */
final class UnwritableHits {

    static final int MAX = 10_000;

    /** Key, and until when (cache clock, epoch millis) its requests pass the cache by. */
    private final ConcurrentHashMap<String, Long> untilMillis = new ConcurrentHashMap<>();

    /** Whether requests for {@code key} pass the cache by at {@code nowMillis}. */
    boolean refuses(String key, long nowMillis) {
        if (untilMillis.isEmpty()) {
            return false;
        }
        Long until = untilMillis.get(key);
        if (until == null) {
            return false;
        }
        if (nowMillis < until) {
            return true;
        }
        untilMillis.remove(key, until);
        return false;
    }

    /** Remembers {@code key} until {@code until}; false when it was already remembered, or there is no room. */
    boolean remember(String key, long until, long nowMillis) {
        if (untilMillis.size() >= MAX) {
            untilMillis.values().removeIf(end -> nowMillis >= end);
            if (untilMillis.size() >= MAX) {
                return false;
            }
        }
        return untilMillis.put(key, until) == null;
    }

    int size() {
        return untilMillis.size();
    }
}
