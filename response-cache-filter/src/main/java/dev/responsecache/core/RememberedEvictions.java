package dev.responsecache.core;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evictions the store failed to carry out (it was unreachable), kept in order in memory and carried out again, in
 * order, as soon as the store answers: an eviction that fails is late, never lost. While any is remembered the store
 * may hold entries they condemn, and a miss that began before them holds a mark they never advanced, so the engine
 * neither reads nor stores ({@link #isEmpty()}). Replays are tried before a request's first store call (at most one
 * request at a time, at most once per retry interval, so that an outage costs one failing call per interval, not one
 * per request) and from a background thread, so that an idle instance replays too. Bounded: past {@code maxTags}
 * tags remembered, "every entry" is remembered instead, which covers them all. Memory only: an instance that stops
 * before the store answers loses them.
 */
final class RememberedEvictions implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");
    /** Tags remembered before they give way to "every entry": about a megabyte of short tags. */
    static final int DEFAULT_MAX_TAGS = 10_000;
    /** How often a replay is tried while the store fails. */
    static final long DEFAULT_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Carries out one eviction: {@code tags}, or every entry when null; throws on a fault. */
    interface Evictor {
        long evict(Set<String> tags);
    }

    /** One eviction not carried out yet. */
    static final class Eviction {
        /** The tags, or null for every entry. */
        final Set<String> tags;
        /** Another remembered eviction that replaces this one (every entry, past the bound), or null. */
        private volatile Eviction coveredBy;
        private volatile boolean replayed;
        private volatile long removed;
        private boolean replaying;

        private Eviction(Set<String> tags) {
            this.tags = tags;
        }

        /** This eviction, or what replaced it. */
        Eviction current() {
            Eviction current = this;
            while (current.coveredBy != null) {
                current = current.coveredBy;
            }
            return current;
        }

        boolean replayed() {
            return current().replayed;
        }

        /** How many entries its replay removed (-1 when the store cannot tell). */
        long removed() {
            return current().removed;
        }
    }

    private final Evictor evictor;
    private final int maxTags;
    private final long retryNanos;
    private final LongSupplier nanoTime;
    private final boolean background;
    private final ArrayDeque<Eviction> queue = new ArrayDeque<>();
    private final ReentrantLock replaying = new ReentrantLock();
    private int tags;
    /** Remembered in the current episode, for its closing line. */
    private long episodeCount;
    private long retryAt;
    private volatile boolean empty = true;
    private ScheduledThreadPoolExecutor scheduler;
    private ScheduledFuture<?> retry;
    private boolean closed;

    /**
     * @param background whether a thread retries the replay while evictions are remembered (off only for tests that
     *                   drive every replay themselves)
     */
    RememberedEvictions(Evictor evictor, int maxTags, long retryNanos, LongSupplier nanoTime, boolean background) {
        if (maxTags < 1 || retryNanos <= 0) {
            throw new IllegalArgumentException("bound and retry interval must be positive: " + maxTags + ", "
                    + retryNanos);
        }
        this.evictor = evictor;
        this.maxTags = maxTags;
        this.retryNanos = retryNanos;
        this.nanoTime = nanoTime;
        this.background = background;
    }

    /** Whether nothing is remembered: one volatile read, on every lookup. */
    boolean isEmpty() {
        return empty;
    }

    /** How many evictions are remembered. */
    synchronized int size() {
        return queue.size();
    }

    /** The tags remembered, "every entry" counting as one. */
    synchronized int tagCount() {
        return tags;
    }

    /** Whether "every entry" is among the evictions remembered. */
    synchronized boolean holdsEveryEntry() {
        for (Eviction eviction : queue) {
            if (eviction.tags == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Remembers an eviction after the ones already remembered, and returns what stands for it: itself, or "every
     * entry" when that is remembered (and not being replayed) already, or when it would take the tags past the bound.
     *
     * @param tags the tags, or null for every entry
     */
    Eviction remember(Set<String> tags, Throwable fault) {
        Eviction remembered;
        boolean first;
        synchronized (this) {
            first = queue.isEmpty();
            remembered = add(tags, first);
        }
        if (first) {
            LOG.warn("response cache invalidation failed (" + fault + "): the eviction is remembered in memory and"
                    + " replayed, in order with any later one, as soon as the store answers; until then this"
                    + " instance serves every request uncached");
        }
        return remembered;
    }

    /**
     * Remembers an eviction after the ones remembered, as {@link #remember} does, unless none is (they were replayed
     * meanwhile): then null, and the caller evicts at once.
     */
    synchronized Eviction rememberAfterOthers(Set<String> tags) {
        return queue.isEmpty() ? null : add(tags, false);
    }

    /** Called holding this object's lock. */
    private Eviction add(Set<String> tags, boolean first) {
        Eviction remembered;
        Eviction waiting = waitingEveryEntry();
        if (waiting != null) {
            // Nothing can be stored here until it is replayed, and it removes whatever this one would have.
            remembered = waiting;
        } else if (tags == null || this.tags + tags.size() > maxTags) {
            remembered = new Eviction(null);
            for (Eviction replaced : queue) {
                replaced.coveredBy = remembered;
            }
            queue.clear();
            queue.add(remembered);
            this.tags = 1;
        } else {
            remembered = new Eviction(Set.copyOf(tags));
            queue.add(remembered);
            this.tags += tags.size();
        }
        episodeCount++;
        empty = false;
        if (first) {
            retryAt = nanoTime.getAsLong() + retryNanos;
        }
        scheduleRetry();
        return remembered;
    }

    /** "Every entry", remembered and not being replayed, or null. */
    private Eviction waitingEveryEntry() {
        for (Eviction eviction : queue) {
            if (eviction.tags == null && !eviction.replaying) {
                return eviction;
            }
        }
        return null;
    }

    /**
     * Replays what is remembered, in order, unless another thread is replaying or the retry interval since the last
     * failed attempt has not passed. Stops at the first fault (the rest wait for the next attempt, keeping their
     * order).
     *
     * @return whether nothing is remembered any more
     */
    boolean tryReplay() {
        return tryReplay(true);
    }

    /** @param paced whether to wait for the retry interval (the background thread is paced by its schedule) */
    private boolean tryReplay(boolean paced) {
        if (empty) {
            return true;
        }
        synchronized (this) {
            if (paced && nanoTime.getAsLong() - retryAt < 0) {
                return queue.isEmpty();
            }
        }
        if (!replaying.tryLock()) {
            return false;
        }
        try {
            return replayAll();
        } finally {
            replaying.unlock();
        }
    }

    private boolean replayAll() {
        while (true) {
            Eviction next;
            synchronized (this) {
                next = queue.peekFirst();
                if (next == null) {
                    return true;
                }
                next.replaying = true;
            }
            long removed;
            try {
                removed = evictor.evict(next.tags);
            } catch (RuntimeException | LinkageError e) {
                synchronized (this) {
                    next.replaying = false;
                    retryAt = nanoTime.getAsLong() + retryNanos;
                }
                return false;
            }
            long replayed = 0;
            synchronized (this) {
                next.removed = removed;
                next.replayed = true;
                if (queue.peekFirst() == next) {
                    queue.removeFirst();
                    tags -= next.tags == null ? 1 : next.tags.size();
                }
                if (queue.isEmpty()) {
                    empty = true;
                    replayed = episodeCount;
                    episodeCount = 0;
                    tags = 0;
                }
            }
            if (replayed > 0) {
                LOG.info("response cache invalidation: the " + replayed + " remembered evictions were replayed;"
                        + " this instance uses the store again");
                return true;
            }
        }
    }

    /** Arms one background attempt after the retry interval, unless one is armed or nothing needs it. */
    private void scheduleRetry() {
        if (!background || closed || retry != null && !retry.isDone()) {
            return;
        }
        if (scheduler == null) {
            scheduler = new ScheduledThreadPoolExecutor(1, run -> {
                Thread thread = new Thread(run, "responsecache-eviction-replay");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }
        retry = scheduler.schedule(this::retryInBackground, retryNanos, TimeUnit.NANOSECONDS);
    }

    private void retryInBackground() {
        boolean done;
        try {
            done = tryReplay(false);
        } catch (RuntimeException e) {
            done = false;
        }
        synchronized (this) {
            retry = null;
            // Not "!done": an eviction remembered after the replay emptied the queue, while this task still ran,
            // found a retry scheduled and scheduled none of its own.
            if (!queue.isEmpty()) {
                scheduleRetry();
            }
        }
    }

    @Override
    public void close() {
        ScheduledThreadPoolExecutor running;
        synchronized (this) {
            closed = true;
            running = scheduler;
            scheduler = null;
        }
        if (running != null) {
            running.shutdownNow();
        }
    }
}
