package dev.responsecache.spi;

import dev.responsecache.core.CacheEntry;

/**
 * Where entries live. Implementations must be thread-safe. They may throw on any fault (the cache turns every
 * exception into a miss and logs it), but must bound the time a call can take, because a call runs on a request
 * thread.
 */
public interface ResponseStore extends AutoCloseable {

    /**
     * The entry stored under {@code key}, or null. May return an entry whose {@link CacheEntry#key()} differs from
     * {@code key} (for instance after a digest collision); the cache then treats it as a miss.
     */
    CacheEntry get(String key);

    /**
     * Stores {@code entry} under {@link CacheEntry#key()}, replacing any previous one. It must be kept for
     * {@link CacheEntry#retainedMillis(long)} from now (past its expiry when it has stale windows, so that it can be
     * served stale) and need not be kept longer; stores should let it expire by itself then.
     */
    void put(CacheEntry entry);

    /** Releases connections and memory. Called once, when the application stops. */
    @Override
    default void close() {
    }
}
