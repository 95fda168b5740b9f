package dev.responsecache.spi;

import dev.responsecache.core.CacheEntry;

import java.time.Duration;
import java.util.List;

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
     * Stores {@code entry} under {@link CacheEntry#key()}, replacing any previous one. It need not be kept past
     * {@link CacheEntry#expiresAtMillis()}; stores should let it expire by itself then.
     */
    void put(CacheEntry entry);

    /**
     * The longest one call ({@link #get} or {@link #put}) can take, waits for a connection included, so that the
     * cache can keep a request's store time within {@code responsecache.store-budget}. {@link Duration#ZERO} (the
     * default) for a store in memory, whose calls are not budgeted.
     */
    default Duration callBound() {
        return Duration.ZERO;
    }

    /**
     * What the store knows of its health (reachability, breaker, latest fault), or null when it knows no more than
     * the cache sees from its calls (the default). Must be cheap and must not call a remote server: a probe reads it.
     */
    default StoreStatus status() {
        return null;
    }

    /**
     * Entries and bytes held, per tier, for metrics; empty (the default) when the store cannot tell. Read when a
     * metrics backend scrapes, not per request; must not call a remote server.
     */
    default List<TierSize> sizes() {
        return List.of();
    }

    /** Releases connections and memory. Called once, when the application stops. */
    @Override
    default void close() {
    }
}
