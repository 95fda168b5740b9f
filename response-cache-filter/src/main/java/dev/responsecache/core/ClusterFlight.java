package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.FaultLog;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.KeyLeases;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Request coalescing across the instances that share a store: the one request of an instance that leads a cold key
 * ({@link InFlight}) contends for the key's lease in the store ({@link KeyLeases}). The instance that takes it runs
 * the method; the others wait for its release, bounded by {@code coalesce-wait}, and read the entry it stored. A
 * release without an entry (the response was not storable) lets every waiter run the method, as per-instance
 * followers do; a lease that expires unreleased (its holder died) is taken over by one waiter. Any fault of the
 * store means running the method without a lease, as without this class.
 */
final class ClusterFlight {

    /** Past this many held leases, those older than a lease are forgotten: a leader that never released. */
    private static final int SWEEP_THRESHOLD = 10_000;
    /** Redis expires a key on the millisecond; asking again a little later avoids asking twice. */
    private static final long EXPIRY_MARGIN_NANOS = 2_000_000;

    /** A lease this instance holds for one leader. */
    private record Held(String key, String token, long sinceNanos) {
    }

    private final KeyLeases leases;
    private final Duration lease;
    private final long waitNanos;
    private final LongSupplier nanoTime;
    private final FaultLog faults;
    private final CacheEvents events;
    private final ConcurrentHashMap<InFlight.Claim, Held> held = new ConcurrentHashMap<>();

    private ClusterFlight(KeyLeases leases, Duration lease, long waitNanos, LongSupplier nanoTime,
                          CacheEvents events) {
        this.leases = leases;
        this.events = events;
        this.lease = lease;
        this.waitNanos = waitNanos;
        this.nanoTime = nanoTime;
        this.faults = new FaultLog("response cache key leases", nanoTime);
    }

    /**
     * The cluster-wide coalescing of a store that offers leases ({@code store} is asked once, when needed), or null:
     * per-instance coalescing only (no leases, coalescing off, or {@code responsecache.coalesce-lease=0}).
     *
     * @throws ResponseCacheConfigException when {@code responsecache.coalesce-lease} is not a duration, or is longer
     *                                      than {@code coalesceWait}
     */
    static ClusterFlight of(Supplier<KeyLeases> store, PropertyValues properties, Duration coalesceWait,
                            LongSupplier nanoTime, CacheEvents events) {
        String configured = properties.string(ResponseCacheProperties.COALESCE_LEASE);
        if (configured != null && configured.trim().equals("0")) {
            return null;
        }
        Duration lease = properties.duration(ResponseCacheProperties.COALESCE_LEASE, coalesceWait.dividedBy(2));
        if (lease.compareTo(coalesceWait) > 0 && !coalesceWait.isZero()) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.COALESCE_LEASE, configured,
                    "a duration of at most " + ResponseCacheProperties.COALESCE_WAIT + " (" + coalesceWait.toMillis()
                            + "ms), or 0");
        }
        if (coalesceWait.isZero() || lease.toMillis() < 1) {
            return null;
        }
        // Asked only now: a store may start listening for releases when asked.
        KeyLeases leases = store.get();
        if (leases == null) {
            return null;
        }
        return new ClusterFlight(leases, lease, coalesceWait.toNanos(), nanoTime, events);
    }

    /**
     * Contends for {@code key} on behalf of the request that leads it in this instance ({@code claim}). Returns the
     * entry another instance stored meanwhile ({@code readFresh} reads the store and returns an entry that answers
     * the request, or null), or null when the caller runs the method: with the lease (released by {@link #release})
     * or, when waiting gave nothing, without one.
     */
    CacheEntry lead(String key, InFlight.Claim claim, Supplier<CacheEntry> readFresh) {
        long start = nanoTime.getAsLong();
        long deadline = start + waitNanos;
        boolean waited = false;
        try (KeyLeases.Contender contender = leases.contend(key)) {
            while (true) {
                String token = UUID.randomUUID().toString();
                long heldFor = contender.tryTake(token, lease);
                if (heldFor == KeyLeases.UNAVAILABLE) {
                    return null;
                }
                if (heldFor == KeyLeases.TAKEN) {
                    hold(claim, new Held(key, token, nanoTime.getAsLong()));
                    // A holder may have stored and released between this request's read and its take.
                    CacheEntry stored = readFresh.get();
                    if (stored != null) {
                        release(claim);
                    }
                    faults.succeeded();
                    return waited(waited, start, false, stored);
                }
                long left = deadline - nanoTime.getAsLong();
                if (left <= 0) {
                    return waited(waited, start, true, null);
                }
                waited = true;
                boolean released = contender.awaitRelease(
                        Math.min(left, heldFor * 1_000_000 + EXPIRY_MARGIN_NANOS));
                CacheEntry stored = readFresh.get();
                if (stored != null || released) {
                    // Released without an entry: nothing was storable, so waiting longer would give nothing either.
                    faults.succeeded();
                    return waited(waited, start, false, stored);
                }
                // The lease ran out unreleased (its holder died or overran it), or the store cannot announce
                // releases now: try to take it over.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            return null;
        }
    }

    /** Reports a wait for another instance (as a coalesced wait), if there was one; returns {@code entry}. */
    private CacheEntry waited(boolean waited, long start, boolean timedOut, CacheEntry entry) {
        if (waited) {
            events.coalesced(nanoTime.getAsLong() - start, timedOut);
        }
        return entry;
    }

    /** Releases the lease this claim's leader holds, if any (once): after storing, or once nothing will be. */
    void release(InFlight.Claim claim) {
        if (claim == null) {
            return;
        }
        Held lease = held.remove(claim);
        if (lease == null) {
            return;
        }
        try {
            leases.release(lease.key(), lease.token());
        } catch (RuntimeException | LinkageError e) {
            // Unreleased, the lease expires by itself; waiters then find the entry or take over.
            faults.failed(e);
        }
    }

    private void hold(InFlight.Claim claim, Held lease) {
        if (held.size() > SWEEP_THRESHOLD) {
            long now = nanoTime.getAsLong();
            held.values().removeIf(old -> now - old.sinceNanos() > this.lease.toNanos());
        }
        held.put(claim, lease);
    }
}
