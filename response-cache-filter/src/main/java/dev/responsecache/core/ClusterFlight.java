package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.FaultLog;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.KeyLeases;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Request coalescing across the instances that share a store: the one request of an instance that leads a cold key
 * ({@link InFlight}) contends for the key's lease in the store ({@link KeyLeases}). The instance that takes it runs
 * the method; the others wait for its release, bounded by {@code coalesce-wait}, and read the entry it stored. A
 * release without an entry (the response was not storable) lets every waiter run the method, as per-instance
 * followers do; a lease that expires unreleased (its holder died) is taken over by one waiter. Any fault of the
 * store means running the method without a lease, as without this class.
 *
 * <p>A stale-while-revalidate refresh takes the same lease, without waiting ({@link #mayRefresh}): the instance that
 * takes it refreshes the key, the others keep answering stale and do not ask again while the holder's lease runs.
 *
 * <p>A holder keeps its lease while its method runs: one daemon thread, started with the first lease held and ended
 * by {@link #close()}, extends every lease still held every third of a lease ({@link KeyLeases#extend}, only while
 * the lease still holds this holder's token). Renewal stops when the lease is released, lost, or held for its bound:
 * a miss's claim stands for {@code coalesce-wait} (no waiter waits longer), a refresh's until the end of the entry's
 * stale-while-revalidate window ({@link InFlight.Claim#keepNanos()}), or less once its end depends on an event that
 * may never come ({@link InFlight.Claim#endsWithin}), never less than {@code coalesce-wait}. A holder whose instance
 * dies is not renewed, so its lease lapses within one lease and one waiter takes over. A lease no longer renewed is
 * forgotten a lease after its last renewal, once it has lapsed in the store, released or not.
 */
final class ClusterFlight implements AutoCloseable {

    /**
     * Past this many held leases, those held a lease longer than their bound are forgotten: a leader that never
     * released.
     */
    private static final int SWEEP_THRESHOLD = 10_000;
    /** Redis expires a key on the millisecond; asking again a little later avoids asking twice. */
    private static final long EXPIRY_MARGIN_NANOS = 2_000_000;

    /**
     * Programmatic-only test hook: a {@code Consumer<Runnable>} given the renewal task instead of the scheduler, so
     * that a test renews when it chooses (or never: an instance that died). Not a documented setting.
     */
    static final String RENEWALS = "dev.responsecache.core.lease-renewals";

    /**
     * A lease this instance holds for one leader, renewed until {@code boundNanos} after it was taken; once no longer
     * renewed, {@code lastRenewedNanos} is when it was last taken or extended: it lapses in the store a lease after.
     */
    private record Held(String key, String token, long sinceNanos, long boundNanos, boolean renewing,
                        long lastRenewedNanos) {
        Held renewedAt(long nowNanos) {
            return new Held(key, token, sinceNanos, boundNanos, true, nowNanos);
        }

        Held notRenewed() {
            return new Held(key, token, sinceNanos, boundNanos, false, lastRenewedNanos);
        }
    }

    private final KeyLeases leases;
    private final Duration lease;
    private final long waitNanos;
    private final LongSupplier nanoTime;
    private final FaultLog faults;
    private final CacheEvents events;
    private final ConcurrentHashMap<InFlight.Claim, Held> held = new ConcurrentHashMap<>();
    /** Keys another instance refreshes, and until when (monotonic) this instance leaves them to it. */
    private final ConcurrentHashMap<String, Long> refreshedElsewhere = new ConcurrentHashMap<>();
    /** Where the renewal task goes: the scheduler below, or a test's hook. */
    private final Consumer<Runnable> renewals;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private volatile boolean closed;
    private volatile ScheduledExecutorService scheduler;
    private volatile Thread renewalThread;

    private ClusterFlight(KeyLeases leases, Duration lease, long waitNanos, LongSupplier nanoTime,
                          CacheEvents events, Consumer<Runnable> renewals) {
        this.leases = leases;
        this.events = events;
        this.lease = lease;
        this.waitNanos = waitNanos;
        this.nanoTime = nanoTime;
        this.faults = new FaultLog("response cache key leases", nanoTime);
        this.renewals = renewals != null ? renewals : this::schedule;
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
        Duration lease = properties.durationOrZero(ResponseCacheProperties.COALESCE_LEASE, coalesceWait.dividedBy(2));
        if (lease.isZero()) {
            return null;
        }
        if (lease.compareTo(coalesceWait) > 0 && !coalesceWait.isZero()) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.COALESCE_LEASE,
                    properties.string(ResponseCacheProperties.COALESCE_LEASE),
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
        return new ClusterFlight(leases, lease, coalesceWait.toNanos(), nanoTime, events, renewals(properties));
    }

    @SuppressWarnings("unchecked")
    private static Consumer<Runnable> renewals(PropertyValues properties) {
        return properties.object(RENEWALS) instanceof Consumer<?> hook ? (Consumer<Runnable>) hook : null;
    }

    /**
     * Contends for {@code key} on behalf of the request that leads it in this instance ({@code claim}). Returns the
     * entry another instance stored meanwhile ({@code readFresh} reads the store and returns an entry that answers
     * the request, or null), or null when the caller runs the method: with the lease (released by {@link #release})
     * or, when waiting gave nothing, without one. {@code beforeWaiting} runs once this request is about to wait for
     * another instance's holder (never when it takes the lease at once).
     */
    CacheEntry lead(String key, InFlight.Claim claim, Supplier<CacheEntry> readFresh, Runnable beforeWaiting) {
        long start = nanoTime.getAsLong();
        long deadline = start + waitNanos;
        boolean waited = false;
        releaseLapsed(claim);
        try (KeyLeases.Contender contender = leases.contend(key)) {
            while (true) {
                String token = UUID.randomUUID().toString();
                long heldFor = contender.tryTake(token, lease);
                if (heldFor == KeyLeases.UNAVAILABLE) {
                    return null;
                }
                if (heldFor == KeyLeases.TAKEN) {
                    hold(claim, key, token);
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
                if (!waited) {
                    beforeWaiting.run();
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

    /**
     * Releases the lease of the claim that {@code claim} took over once it had lapsed unreleased (its holder's end
     * never came), if this instance still holds it: left to expire, it would make this very instance take its own
     * lease for another instance's and leave the key for what that lease had left.
     */
    private void releaseLapsed(InFlight.Claim claim) {
        InFlight.Claim lapsed = claim == null ? null : claim.tookOverLapsed();
        if (lapsed != null) {
            release(lapsed);
        }
    }

    /**
     * Takes {@code key}'s lease for the refresh that leads it in this instance ({@code claim}), without waiting. True
     * when this instance refreshes: it took the lease (released by {@link #release}) and the store still holds no
     * fresh entry ({@code readFresh} reads one, or null), or it could not ask (a fault: each instance refreshes, as
     * without leases). False when another instance holds the key (it refreshes, or runs
     * the miss that stores it): this instance leaves the key to it for as long as that lease has left, without
     * asking again ({@link #refreshedElsewhere}).
     */
    boolean mayRefresh(String key, InFlight.Claim claim, Supplier<CacheEntry> readFresh) {
        releaseLapsed(claim);
        try (KeyLeases.Contender contender = leases.contend(key)) {
            String token = UUID.randomUUID().toString();
            long heldFor = contender.tryTake(token, lease);
            if (heldFor == KeyLeases.UNAVAILABLE) {
                return true;
            }
            faults.succeeded();
            if (heldFor == KeyLeases.TAKEN) {
                hold(claim, key, token);
                // Another instance may have refreshed and released between this instance's read and its take.
                if (readFresh.get() == null) {
                    return true;
                }
                release(claim);
                return false;
            }
            if (refreshedElsewhere.size() > SWEEP_THRESHOLD) {
                long now = nanoTime.getAsLong();
                refreshedElsewhere.values().removeIf(until -> now - until >= 0);
            }
            refreshedElsewhere.put(key, nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(heldFor));
            return false;
        } catch (RuntimeException | LinkageError e) {
            faults.failed(e);
            return true;
        }
    }

    /**
     * Whether another instance was found refreshing {@code key} less than its lease ago: then this instance neither
     * claims nor asks for it. Memory only, no store call.
     */
    boolean refreshedElsewhere(String key) {
        Long until = refreshedElsewhere.get(key);
        if (until == null) {
            return false;
        }
        if (nanoTime.getAsLong() - until < 0) {
            return true;
        }
        refreshedElsewhere.remove(key, until);
        return false;
    }

    private void hold(InFlight.Claim claim, String key, String token) {
        long now = nanoTime.getAsLong();
        long bound = claim.keepNanos() > 0 ? claim.keepNanos() : waitNanos;
        if (held.size() > SWEEP_THRESHOLD) {
            held.values().removeIf(old -> now - old.sinceNanos() > old.boundNanos() + lease.toNanos());
        }
        held.put(claim, new Held(key, token, now, bound, true, now));
        if (!renewing.get() && !closed && renewing.compareAndSet(false, true)) {
            renewals.accept(this::renew);
        }
    }

    /**
     * Extends every lease still held and within its bound; those lost or past it are left to expire, and forgotten
     * once they have: a claim whose holder never releases it (swept from {@link InFlight}, or never taken over) would
     * otherwise stay here for good.
     */
    private void renew() {
        for (Map.Entry<InFlight.Claim, Held> each : held.entrySet()) {
            Held lease = each.getValue();
            if (closed) {
                return;
            }
            long now = nanoTime.getAsLong();
            if (!lease.renewing()) {
                if (now - lease.lastRenewedNanos() >= this.lease.toNanos()) {
                    // Lapsed in the store too: nothing is left to release (a release would find another token).
                    held.remove(each.getKey(), lease);
                }
                continue;
            }
            if (now - lease.sinceNanos() >= lease.boundNanos() || lapsedPastTheWait(each.getKey(), now)) {
                // Held past its bound, or its claim's own (a refresh whose end may never be reported): treated as a
                // holder that hangs; the lease lapses within one lease.
                held.replace(each.getKey(), lease, lease.notRenewed());
                continue;
            }
            try {
                if (leases.extend(lease.key(), lease.token(), this.lease)) {
                    held.replace(each.getKey(), lease, lease.renewedAt(now));
                } else {
                    // Expired or taken over (this instance stalled past it): the new holder's now. Nothing of it is
                    // left to renew or release.
                    held.remove(each.getKey(), lease);
                }
            } catch (RuntimeException | LinkageError e) {
                faults.failed(e);
            }
        }
    }

    /**
     * Whether {@code claim} stood past its own end (a refresh whose end may never be reported) and past
     * {@code coalesce-wait}: this instance's own requests take it over only then ({@link InFlight}), so its lease is
     * kept at least as long, and no other instance refreshes the key meanwhile.
     */
    private boolean lapsedPastTheWait(InFlight.Claim claim, long now) {
        return now - claim.sinceNanos() >= waitNanos && claim.lapsedAt(now);
    }

    /** How many leases this instance still keeps track of (renewed, or left to lapse): for tests. */
    int leasesTracked() {
        return held.size();
    }

    /** Runs the renewal every third of a lease, on one daemon thread of this cache's own. */
    private void schedule(Runnable renewal) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = DetachedThreads.daemon(task, "response-cache-lease-renewal");
            renewalThread = thread;
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(1), lease.toNanos() / 3);
        executor.scheduleWithFixedDelay(() -> {
            try {
                renewal.run();
            } catch (RuntimeException | LinkageError e) {
                // A thrown task would never run again; the renewal itself logs its faults.
                faults.failed(e);
            }
        }, period, period, TimeUnit.NANOSECONDS);
        scheduler = executor;
        if (closed) {
            executor.shutdownNow();
        }
    }

    /** Stops renewing (the leases still held lapse within one lease) and ends the renewal thread. */
    @Override
    public void close() {
        closed = true;
        ScheduledExecutorService executor = scheduler;
        if (executor != null) {
            executor.shutdownNow();
            try {
                // At once normally: a renewal in progress is bounded by one store call per lease held. Then the
                // thread itself, so that a container that checks for threads left by a stopped application (Tomcat)
                // finds none.
                if (executor.awaitTermination(5, TimeUnit.SECONDS)) {
                    Thread thread = renewalThread;
                    if (thread != null && thread != Thread.currentThread()) {
                        thread.join(5_000);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
