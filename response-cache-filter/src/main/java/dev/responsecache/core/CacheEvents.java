package dev.responsecache.core;

/**
 * What the engine reports as it works, for metrics: each lookup's outcome, each response stored or refused, each
 * store call, each coalesced wait. Called on request threads, so an implementation must be thread-safe, quick and
 * must not throw. {@link #NONE} ignores everything and is what runs when no metrics are configured: the engine then
 * does not even read the monotonic clock around store calls.
 *
 * <p>Every {@code route} is the cached endpoint's name ({@link CachePolicy#route()}), never a request's URL, and
 * every {@code reason} is one of a few fixed words, so that a metrics backend sees a bounded set of tag values.
 */
public interface CacheEvents {

    /** Reports nothing. */
    CacheEvents NONE = new CacheEvents() {
    };

    /**
     * A store call, as timed and counted by {@link #storeCall}: a read, a write, the invalidation mark a miss takes
     * before its method runs, and an eviction (of tags, paths or everything).
     */
    enum StoreOperation {
        GET, PUT, MARK, EVICT
    }

    /**
     * A client request was looked up (once per request; never a stale-while-revalidate refresh run after its answer).
     * {@code reason}: {@code fresh} for a hit or a 304, {@code stale} for one answered within its
     * stale-while-revalidate window; for a miss why the entry was
     * unusable ({@code uri-miss}, {@code vary-miss}, {@code stale}); for a bypass why the request is not eligible
     * ({@code credentials}, {@code session}, {@code request-body}, {@code precondition}, {@code unkeyable},
     * {@code error}: a fault of the cache's own, a lookup that failed or an answer that could not be written, so the
     * request was served uncached). An answer an adapter writes itself is reported once written
     * ({@link Lookup#written()}), or as that bypass ({@link Lookup#notWritten()}).
     */
    default void lookedUp(String route, Lookup.Outcome outcome, String reason) {
    }

    /**
     * A missed request whose method failed was answered from a stale entry instead (stale-if-error); {@code reason}:
     * {@code error}. The request was reported by {@link #lookedUp} as a miss (reason {@code stale}) before its method
     * ran, so this is a second report of the same request, for the answer it got. Or a revalidation was answered
     * with a 304 about another representation, and the stale entry answered ({@code validator-mismatch}). Never for a
     * stale-while-revalidate refresh run after its answer, which answers no client; an answer given at once from an
     * entry within its stale-while-revalidate window is reported once, by {@link #lookedUp}, as a hit or a 304 with
     * reason {@code stale}.
     */
    default void answeredStale(String route, String reason) {
    }

    /**
     * A stale-while-revalidate refresh, run after its stale answer was sent, failed: it threw ({@code exception}: the
     * simple class name of what it threw, past a container's wrapping), or the container refused what it did. The
     * stale entry answers on until its window ends; each failure is reported once.
     */
    default void refreshFailed(String route, String exception) {
    }

    /** A missed request's response was stored, {@code bodyBytes} long. */
    default void stored(String route, int bodyBytes) {
    }

    /**
     * A missed request's response was not stored because of a rule ({@code status}, {@code set-cookie},
     * {@code no-store}, {@code private}, {@code no-cache}, {@code vary-star}, {@code too-large}). Reported at most
     * once per request.
     */
    default void refused(String route, String reason) {
    }

    /** Whether {@link #storeCall} wants to hear of store calls (timing them costs two clock reads). */
    default boolean timesStoreCalls() {
        return false;
    }

    /** A store call took {@code nanos}; {@code fault} is what it threw, or null. */
    default void storeCall(StoreOperation operation, long nanos, Throwable fault) {
    }

    /**
     * A request waited {@code waitedNanos} for another request to run the method for the same key;
     * {@code timedOut} when it gave up waiting (the leader took longer than {@code responsecache.coalesce-wait}).
     */
    default void coalesced(long waitedNanos, boolean timedOut) {
    }

    /** The cache is closing: meters registered for it should go. */
    default void closed() {
    }
}
