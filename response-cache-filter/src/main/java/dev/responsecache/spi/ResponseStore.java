package dev.responsecache.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
     * What the cache calls to look {@code key} up: {@link #get}, except that a store that could not be asked (its
     * server unreachable, a circuit breaker keeping calls away) says so instead of answering null, which would claim
     * it holds nothing. The default is {@link #get}.
     *
     * @throws StoreUnavailableException when the store could not be asked and has reported why itself; any other
     *                                   exception is reported by the cache. Either way the request goes uncached.
     */
    default CacheEntry lookUp(String key) {
        return get(key);
    }

    /**
     * Stores {@code entry} under {@link CacheEntry#key()}, replacing any previous one. It must be kept for
     * {@link CacheEntry#retainedMillis(long)} from now (past its expiry when it has stale windows, so that it can be
     * served stale) and need not be kept longer; stores should let it expire by itself then.
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

    /**
     * The tier whose bound decides what the store keeps: its entries and how many it has evicted to make room (lost
     * for good, not moved to another tier of the store); null (the default) when the store cannot tell. The cache
     * reads it at most once a second, on the request path, to tell whether the store is evicting for capacity
     * ({@code responsecache.admission}): it must be cheap and must not call a remote server.
     */
    default TierSize capacityTier() {
        return null;
    }

    /**
     * How many of its own faults the store served as misses (without throwing), by kind (for instance
     * {@code timeout}, {@code connection}, {@code error-reply}, {@code unusable-value}); empty (the default) when it
     * counts none. Every kind should be present from the start (at zero): a metrics backend registers the kinds it
     * finds when the cache opens. Read when a metrics backend scrapes, not per request; must not call a remote server.
     */
    default Map<String, Long> faultCounts() {
        return Map.of();
    }

    /**
     * A mark taken when a miss starts, before the response to store is produced, and given back to
     * {@link #put(CacheEntry, Set, long)}: a store that supports eviction uses it to refuse an entry one of whose tags
     * was evicted after the mark (the response was produced from data the eviction declared stale). Stores without
     * eviction return 0. {@link Long#MIN_VALUE} says the store cannot tell (unreachable): the cache then assumes an
     * eviction may have come, and hands no response over to the requests that waited for it.
     */
    default long invalidationMark() {
        return 0;
    }

    /**
     * Stores {@code entry} with its tags (never empty: every entry is tagged with its path), unless one of them was
     * evicted after {@code mark} was taken; then stores nothing. Replacing an entry replaces its tags. A store that
     * cannot evict (the default) ignores the tags, and its {@link #evict} throws.
     *
     * @return false when the entry was refused because of an eviction since {@code mark}, or when the store cannot
     *         tell whether it was (a fault it handled itself: a timed-out reply may have been a refusal); the cache
     *         then hands it to nobody, keeps no near copy of it. True when it was handed to the store
     */
    default boolean put(CacheEntry entry, Set<String> tags, long mark) {
        put(entry);
        return true;
    }

    /**
     * Whether {@link #evict} and {@link #evictAll} work. False (the default) for a store that cannot evict: the cache
     * then says at start-up that invalidation does nothing with it.
     */
    default boolean evicts() {
        return false;
    }

    /**
     * Evicts every entry tagged with one of {@code tags}, on every instance sharing the store, and makes a concurrent
     * {@link #put(CacheEntry, Set, long)} whose mark precedes this call store nothing.
     *
     * @return how many entries were removed, or -1 when the store cannot tell
     * @throws RuntimeException on any fault (the caller reports it); the cache remembers the eviction and calls this
     *                          again, with the same tags, once the store answers (so an eviction may be carried out
     *                          twice, after a fault part-way: it must be idempotent), reading and storing nothing
     *                          meanwhile; {@link UnsupportedOperationException} says the store cannot evict, and is
     *                          not remembered
     */
    default long evict(Set<String> tags) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot evict entries");
    }

    /**
     * Evicts every entry of this store (of this key prefix, for a shared store). Faults are remembered and replayed as
     * for {@link #evict}; the cache also replays this instead of its remembered evictions once they are too many, or
     * when the store refuses one for good ({@link #evictionRetryable}).
     *
     * @return how many entries were removed, or -1 when the store cannot tell
     */
    default long evictAll() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot evict entries");
    }

    /**
     * Whether an eviction (of tags) that failed with {@code fault} may succeed when made again: true (the default) for
     * a store that cannot tell, and for faults of reaching the store (a connection fault, a timeout). False for a
     * refusal that no retry changes (Redis answering {@code WRONGTYPE} on a tag key that something else wrote): the
     * cache then evicts every entry instead of replaying it, which removes whatever it named.
     */
    default boolean evictionRetryable(Throwable fault) {
        return true;
    }

    /**
     * The feed of evictions of a store shared by several instances, or null (the default) for a store that no other
     * instance writes, or that cannot tell.
     */
    default EvictionFeed evictionFeed() {
        return null;
    }

    /**
     * Leases on keys shared by every instance of this store, for cluster-wide request coalescing, or null (the
     * default) for a store that no other instance shares. Called once, when the cache opens.
     */
    default KeyLeases keyLeases() {
        return null;
    }

    /**
     * Called once, after the cache has logged its start-up line ({@code Response cache on: ...}): a store that reaches
     * a server says here whether it answers (a warning and serving uncached, never a failed start-up). After that
     * line, not in {@link ResponseStoreProvider#create}, so that an operator reads what was configured before what is
     * wrong with it. Nothing by default.
     */
    default void started() {
    }

    /**
     * Called once instead of {@link #started()} when the cache is opened again with settings another component added
     * (a servlet filter opened it, the JAX-RS feature's properties add one), while {@code replaced}, the store of the
     * cache it replaces, is still open; {@code replaced} is closed right after. A store that reaches the same server
     * as {@code replaced} carries its reported state over (an outage it warned of, a breaker it opened) rather than
     * reporting the same fault a second time: a fault is logged once per episode, and the reopening is not a new one.
     * A store of another server reports its own. {@code replaced} may be of another class (another store, or the
     * near tier wrapping one). By default {@link #started()}.
     */
    default void startedInPlaceOf(ResponseStore replaced) {
        started();
    }

    /** Releases connections and memory. Called once, when the application stops. */
    @Override
    default void close() {
    }
}
