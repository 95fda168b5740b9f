package dev.responsecache.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Request coalescing: when many requests miss on one key at once, the first one runs the method and the others wait
 * (bounded) for its response to be stored, instead of all running the method (a stampede on a cold or expired key).
 * Waiting is measured on the monotonic clock: it is real time a thread spends, not cache time.
 */
final class InFlight {

    /** The leader's promise to store or give up; followers wait on it. */
    static final class Claim {
        private final CountDownLatch done = new CountDownLatch(1);
        private final long sinceNanos = System.nanoTime();
    }

    private final ConcurrentHashMap<String, Claim> claims = new ConcurrentHashMap<>();
    private final long maxWaitNanos;

    InFlight(long maxWaitNanos) {
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * Makes the caller the leader for {@code key} (returns its new claim), or returns null after waiting for the
     * current leader to finish. A claim older than the maximum wait is taken to be abandoned (its request failed
     * before it could release) and is taken over, so a lost release never stalls a key for long.
     */
    Claim leadOrWait(String key) {
        Claim mine = new Claim();
        while (true) {
            Claim current = claims.putIfAbsent(key, mine);
            if (current == null) {
                return mine;
            }
            long waited = System.nanoTime() - current.sinceNanos;
            if (waited >= maxWaitNanos) {
                if (claims.replace(key, current, mine)) {
                    current.done.countDown();
                    return mine;
                }
                continue;
            }
            await(current, maxWaitNanos - waited);
            return null;
        }
    }

    /** Ends a leader's claim (idempotent) and wakes its followers. */
    void release(String key, Claim claim) {
        if (claim != null) {
            claims.remove(key, claim);
            claim.done.countDown();
        }
    }

    private static void await(Claim claim, long nanos) {
        try {
            claim.done.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
