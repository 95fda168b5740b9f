package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Ticker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * Request coalescing: when many requests miss on one key at once, the first one runs the method and the others wait
 * (bounded) for its response to be stored, instead of all running the method (a stampede on a cold or expired key).
 * Waiting is measured on the monotonic clock (an injected {@link Ticker} source): it is real time a thread spends, not
 * cache time.
 */
final class InFlight {

    /** The leader's promise to store or give up; followers wait on it. */
    static final class Claim {
        private final CountDownLatch done = new CountDownLatch(1);
        private final long sinceNanos;
        /**
         * How long the claim stands before another request may take it over as abandoned: the maximum wait for a
         * miss; for a stale-while-revalidate refresh, longer (see {@link #tryLead(String, long, long)}), unless its
         * end came to depend on an event that may never arrive ({@link #endsWithin}).
         */
        private final long keepNanos;
        /** {@link #keepNanos}, or less once the claim {@linkplain #endsWithin ends within} a shorter bound. */
        private volatile long standsNanos;
        /**
         * The bound of the holder's current wait (see {@link #endsWithin(long, LongSupplier, Runnable)}), asked again
         * once the claim reaches the end it last gave, or null; and when that wait started, on the monotonic source.
         */
        private volatile LongSupplier waitNanos;
        private volatile long waitSinceNanos;
        /** Told once when the claim lapses unreleased (another request takes it over past its bound), or null. */
        private volatile Runnable onLapse;
        /** The claim this one took over once that had lapsed unreleased: its cluster lease is released first. */
        private volatile Claim lapsed;
        /** A request that looks its own key up twice (a caching filter in front of a cached method) must not wait. */
        private final Thread owner = Thread.currentThread();
        /** What the leader stored, handed to its followers so that they need not read the store again. */
        private volatile CacheEntry stored;
        /** The store's invalidation mark taken before the stored response was produced, or null: not known. */
        private volatile Long storedMark;

        Claim(long sinceNanos) {
            this(sinceNanos, 0);
        }

        Claim(long sinceNanos, long keepNanos) {
            this.sinceNanos = sinceNanos;
            this.keepNanos = keepNanos;
            this.standsNanos = keepNanos;
        }

        /** When it was taken, on the monotonic source. */
        long sinceNanos() {
            return sinceNanos;
        }

        /** How long it stands before it may be taken over (0: the cache's maximum wait). */
        long keepNanos() {
            return standsNanos;
        }

        /**
         * The claim's end now depends on an event that may never come (an asynchronous cycle's end, which a container
         * may fail to report): it stands until {@code nanos} after {@code nowNanos} (never past its first bound, nor
         * less than the cache's maximum wait after it was taken), then lapses; {@code lapse} is told once if it is
         * taken over unreleased then. Called again (a new cycle), it moves that end.
         */
        void endsWithin(long nowNanos, long nanos, Runnable lapse) {
            endsWithin(nowNanos, () -> nanos, lapse);
        }

        /**
         * As {@link #endsWithin(long, long, Runnable)}, for a wait whose bound may still grow after it started (a
         * servlet sets an asynchronous cycle's timeout after it starts the cycle): {@code nanos} is asked now, and
         * again, from {@code nowNanos}, once the claim reaches the end it gave, before the claim may lapse.
         */
        void endsWithin(long nowNanos, LongSupplier nanos, Runnable lapse) {
            waitSinceNanos = nowNanos;
            waitNanos = nanos;
            standsFor(nowNanos, nanos.getAsLong());
            onLapse = lapse;
        }

        private void standsFor(long waitSince, long nanos) {
            if (keepNanos > 0) {
                long stood = Math.max(0, waitSince - sinceNanos);
                standsNanos = nanos >= keepNanos - stood ? keepNanos : stood + Math.max(0, nanos);
            }
        }

        /** Whether it stood past its own bound (a refresh's: a miss's bound is its holder's wait) at {@code now}. */
        boolean lapsedAt(long nowNanos) {
            long stands = standsNanos;
            if (stands <= 0 || nowNanos - sinceNanos < stands) {
                return false;
            }
            LongSupplier wait = waitNanos;
            if (wait == null) {
                return true;
            }
            // Its end, as last given: the holder's wait may have been given longer since it started.
            standsFor(waitSinceNanos, wait.getAsLong());
            return nowNanos - sinceNanos >= standsNanos;
        }

        /** The claim this one took over once it had lapsed, or null; asked once. */
        Claim tookOverLapsed() {
            Claim before = lapsed;
            lapsed = null;
            return before;
        }
    }

    /** Past this many claims, abandoned ones are swept so that leaked claims of unique keys cannot accumulate. */
    private static final int SWEEP_THRESHOLD = 10_000;

    /** A key's latest release, and the release count it was given. */
    private record Released(String key, long generation) {
    }

    private static final int RECENT_SLOTS = 256;

    private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();
    private final long maxWaitNanos;
    private final LongSupplier nanoTime;
    private final CacheEvents events;
    private final AtomicLong releases = new AtomicLong();
    /**
     * The latest releases, one slot per key hash: lossy and bounded, which is enough to close the window between a
     * request's store read and its claim (microseconds); a lost record costs at most one extra run of the method.
     */
    private final AtomicReferenceArray<Released> recent = new AtomicReferenceArray<>(RECENT_SLOTS);

    InFlight(long maxWaitNanos, LongSupplier nanoTime) {
        this(maxWaitNanos, nanoTime, CacheEvents.NONE);
    }

    InFlight(long maxWaitNanos, LongSupplier nanoTime, CacheEvents events) {
        this.maxWaitNanos = maxWaitNanos;
        this.nanoTime = nanoTime;
        this.events = events;
    }

    /** Read before the store is: {@link #leadOrWait} then knows whether a leader finished since. */
    long generation() {
        return releases.get();
    }

    /**
     * A request's turn at a key: it leads (its claim), or it waited, and may have been handed the leader's entry with
     * the invalidation mark taken before that entry's response was produced ({@code handedMark}, null when not known).
     */
    record Turn(Claim lead, CacheEntry handed, Long handedMark) {
    }

    /** As {@link #leadOrWait}, and hands a follower the entry its leader stored, if any. */
    Turn take(String key, long seenGeneration) {
        Claim[] waitedOn = new Claim[1];
        Claim lead = leadOrWait(key, seenGeneration, waitedOn);
        Claim waited = lead == null ? waitedOn[0] : null;
        // The mark is written before the entry, and the entry read first: a handed entry never has an older mark.
        CacheEntry handed = waited == null ? null : waited.stored;
        return new Turn(lead, handed, handed == null ? null : waited.storedMark);
    }

    /**
     * Makes the caller the leader for {@code key} (returns its new claim), or returns null when the caller should
     * read the store again: after waiting for the current leader to finish, or at once when a leader finished after
     * {@code seenGeneration} (the caller's store read came just before that leader's entry was stored). A claim older
     * than the maximum wait is taken to be abandoned (its request failed before it could release) and is taken over,
     * so a lost release never stalls a key for long.
     */
    Claim leadOrWait(String key, long seenGeneration) {
        return leadOrWait(key, seenGeneration, new Claim[1]);
    }

    private Claim leadOrWait(String key, long seenGeneration, Claim[] waitedOn) {
        if (claims.size() > SWEEP_THRESHOLD) {
            sweepAbandoned();
        }
        Claim mine = new Claim(nanoTime.getAsLong());
        while (true) {
            Claim current = claims.putIfAbsent(key, mine);
            if (current == null) {
                return leadUnlessJustReleased(key, mine, seenGeneration);
            }
            if (current.owner == mine.owner) {
                // This thread already leads this key, further out: waiting would wait for itself.
                return null;
            }
            long now = nanoTime.getAsLong();
            long waited = now - current.sinceNanos;
            if (waited >= maxWaitNanos) {
                if (claims.replace(key, current, mine)) {
                    tookOver(current, mine, now);
                    return leadUnlessJustReleased(key, mine, seenGeneration);
                }
                continue;
            }
            long start = nanoTime.getAsLong();
            boolean released = await(current, maxWaitNanos - waited);
            events.coalesced(nanoTime.getAsLong() - start, !released);
            waitedOn[0] = current;
            return null;
        }
    }

    /**
     * Makes the caller the leader for {@code key} without ever waiting: its new claim, or null when a request (a miss
     * or a refresh) already leads the key, or one finished after {@code seenGeneration}. For a stale-while-revalidate
     * refresh, which must never hold up the request that starts it. A claim older than the maximum wait is taken over,
     * as {@link #leadOrWait} does, so a lost release never stops a key from being refreshed.
     */
    Claim tryLead(String key, long seenGeneration) {
        return tryLead(key, seenGeneration, 0);
    }

    /**
     * As {@link #tryLead(String, long)}, for a refresh whose claim stands for {@code keepNanos} (when longer than the
     * maximum wait) before another refresh may take it over: a slow refresh whose holder still runs is not doubled
     * by a second one every maximum wait. A miss still takes it over after the maximum wait, as any claim. With
     * coalescing off (no maximum wait) the claim still ends at {@code keepNanos}. A claim taken over past its own
     * bound (it {@linkplain Claim#lapsedAt lapsed}) tells its holder, and is handed to the new claim
     * ({@link Claim#tookOverLapsed}) so that its lease is released.
     */
    Claim tryLead(String key, long seenGeneration, long keepNanos) {
        if (claims.size() > SWEEP_THRESHOLD) {
            sweepAbandoned();
        }
        Claim mine = new Claim(nanoTime.getAsLong(), Math.max(keepNanos, maxWaitNanos));
        Claim current = claims.putIfAbsent(key, mine);
        if (current == null) {
            return leadUnlessJustReleased(key, mine, seenGeneration);
        }
        // Past its bound, whether a miss's (the maximum wait) or a refresh's own: with coalescing off (no maximum
        // wait) a refresh's claim still has its own, so a lost release never stops the key's refreshes for good.
        if (pastBound(current, mine.sinceNanos) && claims.replace(key, current, mine)) {
            tookOver(current, mine, mine.sinceNanos);
            return leadUnlessJustReleased(key, mine, seenGeneration);
        }
        return null;
    }

    /**
     * Whether no other request can have run the method for {@code key} since {@code claim} was taken: it still leads
     * the key, and it was taken less than the maximum wait ago, so no request that waited for it has given up and run
     * the method itself (nor, with Redis, waited out the key's lease on another instance).
     */
    boolean alone(String key, Claim claim) {
        return claim != null && maxWaitNanos > 0 && nanoTime.getAsLong() - claim.sinceNanos() < maxWaitNanos
                && claims.get(key) == claim;
    }

    /** Ends a leader's claim (idempotent) and wakes its followers. */
    void release(String key, Claim claim) {
        release(key, claim, null);
    }

    /**
     * Ends a leader's claim, handing {@code stored} (or null: nothing stored) to the followers it wakes, without the
     * mark it was produced under: a follower reads the store itself rather than take it.
     */
    void release(String key, Claim claim, CacheEntry stored) {
        release(key, claim, stored, null);
    }

    /**
     * Ends a leader's claim, handing {@code stored} (or null: nothing stored) to the followers it wakes, with the
     * invalidation mark taken before its response was produced ({@code mark}), so that a follower can tell whether an
     * eviction came after it (see {@link Turn}).
     */
    void release(String key, Claim claim, CacheEntry stored, Long mark) {
        if (claim != null && claim.done.getCount() > 0) {
            claim.onLapse = null;
            if (stored != null) {
                claim.storedMark = mark;
                claim.stored = stored;
            }
            // Recorded before the claim goes, so a request that finds no claim finds the record.
            recent.set(slot(key), new Released(key, releases.incrementAndGet()));
            claims.remove(key, claim);
            claim.done.countDown();
        }
    }

    private Claim leadUnlessJustReleased(String key, Claim mine, long seenGeneration) {
        Released last = recent.get(slot(key));
        if (last != null && last.generation() > seenGeneration && last.key().equals(key)) {
            release(key, mine);
            return null;
        }
        return mine;
    }

    private void sweepAbandoned() {
        long now = nanoTime.getAsLong();
        claims.forEach((key, claim) -> {
            // A claim with no bound at all (coalescing off, no own bound) is swept as soon as it is seen, as always.
            boolean past = Math.max(claim.keepNanos(), maxWaitNanos) <= 0 || pastBound(claim, now);
            if (past && claims.remove(key, claim)) {
                tookOver(claim, null, now);
            }
        });
    }

    /**
     * Whether {@code claim} stood past its bound at {@code now}: a miss's (the maximum wait) or its own, whichever is
     * longer. Its own is asked again first once reached: its holder's wait may have been given longer since.
     */
    private boolean pastBound(Claim claim, long now) {
        long bound = Math.max(claim.keepNanos(), maxWaitNanos);
        if (bound <= 0 || now - claim.sinceNanos < bound) {
            return false;
        }
        claim.lapsedAt(now);
        return now - claim.sinceNanos >= Math.max(claim.keepNanos(), maxWaitNanos);
    }

    /**
     * Ends {@code current}, which {@code successor} (null: a sweep) replaced as abandoned. When it stood past its own
     * bound unreleased, it lapsed: its holder hears of it (once), and the successor releases its cluster lease before
     * taking the key's. A refresh's claim that a miss took over before that (after the maximum wait) may still have a
     * live holder, and is not a lapse.
     */
    private void tookOver(Claim current, Claim successor, long now) {
        current.done.countDown();
        if (!current.lapsedAt(now)) {
            return;
        }
        if (successor != null) {
            successor.lapsed = current;
        }
        Runnable lapse = current.onLapse;
        current.onLapse = null;
        if (lapse != null) {
            // Never throws (see ResponseCache#refreshEndsWithin): the key is taken over whatever the report meets.
            lapse.run();
        }
    }

    private static int slot(String key) {
        return key.hashCode() & (RECENT_SLOTS - 1);
    }

    /** Whether the leader released its claim within {@code nanos}. */
    private static boolean await(Claim claim, long nanos) {
        try {
            return claim.done.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
