package dev.responsecache.spi;

import java.time.Duration;

/**
 * Short leases on cache keys, shared by every instance of a shared store, so that a cold key's method runs on one
 * instance of the cluster while the others wait for its entry (cluster-wide request coalescing). Optional: a store
 * returns it from {@link ResponseStore#keyLeases()}; without it (the default) coalescing stays per instance.
 *
 * <p>The cache drives it on a miss, from the one request of an instance that leads the key: it
 * {@linkplain #contend contends} for the key, and either takes the lease (runs the method, stores, then
 * {@linkplain #release releases}) or waits for the holder's release and reads the entry. A stale-while-revalidate
 * refresh contends without waiting: the instance that takes the lease refreshes, the others do not. While the
 * holder's method runs, the cache {@linkplain #extend extends} the lease. A lease expires by itself,
 * so a holder that dies stalls nobody for longer than the lease. Every method must be bounded in time like a store
 * call and may throw on a fault: the cache then runs the method without a lease, as without this capability.
 */
public interface KeyLeases {

    /** {@link Contender#tryTake} took the lease. */
    long TAKEN = 0;
    /** {@link Contender#tryTake} could not ask (the store is down or refusing calls): run without a lease. */
    long UNAVAILABLE = -1;

    /**
     * Starts contending for {@code key}'s lease: from now on, releases of it are noticed by the contender (so that a
     * release between {@link Contender#tryTake} and {@link Contender#awaitRelease} is not missed).
     */
    Contender contend(String key);

    /**
     * Releases {@code key}'s lease if {@code token} still holds it (a holder whose lease expired and was taken by
     * another instance must not release that one), and tells the instances waiting for it. Called after the entry was
     * stored, or once it is known that nothing will be.
     */
    void release(String key, String token);

    /**
     * Extends {@code key}'s lease to {@code duration} from now if {@code token} still holds it (compare-and-extend:
     * never another holder's), so that a holder whose method outlasts one lease keeps it while it runs. The cache
     * calls it periodically for the leases it holds and stops once the method ends or has run for its bound. The
     * default cannot extend: the lease then simply expires at its end, as before this method existed.
     *
     * @return true when extended; false when {@code token} no longer holds the lease (it expired, or another instance
     *         took it over), or when the store cannot extend leases at all
     * @throws RuntimeException on a fault (the cache tries again at its next renewal)
     */
    default boolean extend(String key, String token, Duration duration) {
        return false;
    }

    /** One request contending for one key's lease. Not shared between threads. */
    interface Contender extends AutoCloseable {

        /**
         * Takes the lease for {@code duration} under {@code token}, if nobody holds it.
         *
         * @return {@link #TAKEN}; or the milliseconds (at least 1) the current holder's lease has left; or
         *         {@link #UNAVAILABLE}
         */
        long tryTake(String token, Duration duration);

        /**
         * Waits up to {@code nanos} for a release of the key announced since the latest {@link #tryTake}.
         *
         * @return true when a release was announced; false when the time passed, or when the store cannot currently
         *         hear releases and returned early so that the caller looks again (a capped backoff)
         */
        boolean awaitRelease(long nanos) throws InterruptedException;

        /** Stops listening. */
        @Override
        void close();
    }
}
