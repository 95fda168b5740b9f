package dev.responsecache.core;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evictions the store failed to carry out (unreachable, or refusing the command for now), kept in order in memory
 * and carried out again, in order, as soon as the store answers: an eviction that fails is late, never lost. While any is remembered the store
 * may hold entries they condemn, and a miss that began before them holds a mark they never advanced, so the engine
 * neither reads nor stores ({@link #isEmpty()}). Replays run on one background thread only, never on a request's: a
 * request that finds evictions remembered goes on uncached at once ({@link #replaySoon()}), since a replay (many
 * tags, a slow store) must not make it slower than no cache would. An attempt is made at most once per retry
 * interval, so that an outage costs one failing call per interval, not one per request; an idle instance replays too.
 *
 * <p>Bounded by the distinct tags waiting: an eviction whose tags all wait already, in evictions not being replayed
 * yet, is stood for by the latest of those (which runs after it was asked for, and this instance stores nothing while
 * it waits, so it removes all the new one would); one whose tags partly wait is remembered with the others only. An
 * application that evicts the same tag again and again during an outage so remembers it once. Past {@code maxTags}
 * tags waiting, "every entry" is remembered instead, which covers them all. A fault the store says a retry cannot
 * change ({@link Evictor#retryable}: Redis refusing a tag key someone else wrote) makes the replay evict every entry
 * instead, which removes whatever the refused eviction named; logged with its tags and the fault. Memory only: an
 * instance that stops before the store answers loses them.
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

        /**
         * Whether an eviction that failed with {@code fault} may succeed when made again: false for a refusal the
         * store says a retry cannot change; the replay then evicts every entry instead.
         */
        default boolean retryable(Throwable fault) {
            return true;
        }
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
    /**
     * Guards the queue and what goes with it. A lock, not a monitor: during an outage every request enters it, and
     * arming the retry under it enters the timer queue's own lock (and starts its thread the first time); a virtual
     * request thread blocked entering a monitor, or inside one, pins its carrier thread on Java 21 to 23.
     */
    private final ReentrantLock state = new ReentrantLock();
    /**
     * Each tag waiting in an eviction not being replayed yet, with that eviction: a tag is in at most one of those
     * (an eviction remembered later keeps only the tags that do not wait already).
     */
    private final Map<String, Eviction> waiting = new HashMap<>();
    /** The tags of the evictions remembered, "every entry" counting as one. */
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
    int size() {
        state.lock();
        try {
            return queue.size();
        } finally {
            state.unlock();
        }
    }

    /** The tags remembered (each waiting tag once), "every entry" counting as one. */
    int tagCount() {
        state.lock();
        try {
            return tags;
        } finally {
            state.unlock();
        }
    }

    /** Whether "every entry" is among the evictions remembered. */
    boolean holdsEveryEntry() {
        state.lock();
        try {
            for (Eviction eviction : queue) {
                if (eviction.tags == null) {
                    return true;
                }
            }
            return false;
        } finally {
            state.unlock();
        }
    }

    /**
     * Remembers an eviction after the ones already remembered, and returns what stands for it: itself (with only its
     * tags that do not wait already), or an eviction that holds all its tags and is not being replayed yet, or "every
     * entry" when that is remembered (and not being replayed) already, or when it would take the tags past the bound.
     *
     * @param tags the tags, or null for every entry
     */
    Eviction remember(Set<String> tags, Throwable fault) {
        Eviction remembered;
        boolean first;
        state.lock();
        try {
            first = queue.isEmpty();
            remembered = add(tags, first);
        } finally {
            state.unlock();
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
    Eviction rememberAfterOthers(Set<String> tags) {
        state.lock();
        try {
            return queue.isEmpty() ? null : add(tags, false);
        } finally {
            state.unlock();
        }
    }

    /** Called holding {@link #state}. */
    private Eviction add(Set<String> tags, boolean first) {
        Eviction remembered;
        Eviction waitingAll = waitingEveryEntry();
        Set<String> fresh = tags == null || waitingAll != null ? null : notWaiting(tags);
        if (waitingAll != null) {
            // Nothing can be stored here until it is replayed, and it removes whatever this one would have.
            remembered = waitingAll;
        } else if (fresh != null && fresh.isEmpty() && !tags.isEmpty()) {
            // Every tag waits in an eviction not replayed yet, which runs after this one was asked for; the latest
            // of them runs after the others, so once it is replayed all of this one is.
            remembered = latestHolder(tags);
        } else if (tags == null || this.tags + fresh.size() > maxTags) {
            remembered = everyEntryInsteadOfAll();
        } else {
            remembered = new Eviction(Set.copyOf(fresh));
            queue.add(remembered);
            this.tags += fresh.size();
            for (String tag : fresh) {
                waiting.put(tag, remembered);
            }
        }
        episodeCount++;
        empty = false;
        if (first) {
            retryAt = nanoTime.getAsLong() + retryNanos;
        }
        scheduleRetry(retryNanos);
        return remembered;
    }

    /** The tags that wait in no eviction not replayed yet. Called holding {@link #state}. */
    private Set<String> notWaiting(Set<String> tags) {
        Set<String> fresh = new LinkedHashSet<>();
        for (String tag : tags) {
            if (!waiting.containsKey(tag)) {
                fresh.add(tag);
            }
        }
        return fresh;
    }

    /** Of the evictions holding {@code tags} (all waiting), the one queued last. Called holding {@link #state}. */
    private Eviction latestHolder(Set<String> tags) {
        Set<Eviction> holders = new HashSet<>();
        for (String tag : tags) {
            holders.add(waiting.get(tag));
        }
        Eviction latest = null;
        for (Eviction queued : queue) {
            if (holders.contains(queued)) {
                latest = queued;
            }
        }
        return latest;
    }

    /** Replaces every remembered eviction with one of every entry. Called holding {@link #state}. */
    private Eviction everyEntryInsteadOfAll() {
        Eviction all = new Eviction(null);
        for (Eviction replaced : queue) {
            replaced.coveredBy = all;
        }
        queue.clear();
        waiting.clear();
        queue.add(all);
        this.tags = 1;
        return all;
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
     * What a request does on finding evictions remembered: nothing that waits. It makes sure a background attempt is
     * armed, at the end of the retry interval since the last failed one (at once when that has passed), and goes on
     * uncached.
     *
     * @return whether nothing is remembered (the store may be used)
     */
    boolean replaySoon() {
        if (empty) {
            return true;
        }
        state.lock();
        try {
            if (!queue.isEmpty()) {
                scheduleRetry(Math.max(0, retryAt - nanoTime.getAsLong()));
            }
            return queue.isEmpty();
        } finally {
            state.unlock();
        }
    }

    /**
     * Replays what is remembered, in order, on the calling thread, unless another thread is replaying or the retry
     * interval since the last failed attempt has not passed. Stops at the first fault (the rest wait for the next
     * attempt, keeping their order). Tests without the background thread call this themselves.
     *
     * @return whether nothing is remembered any more
     */
    boolean tryReplay() {
        return tryReplay(true);
    }

    /**
     * @param paced whether to wait for the retry interval on the ticker (the background thread is paced by its
     *              schedule instead, so that a ticker a test holds still does not stop it)
     */
    private boolean tryReplay(boolean paced) {
        if (empty) {
            return true;
        }
        if (!replaying.tryLock()) {
            return false;
        }
        try {
            state.lock();
            try {
                // Read holding the replay lock: an attempt that just failed has moved it on.
                if (paced && nanoTime.getAsLong() - retryAt < 0) {
                    return queue.isEmpty();
                }
            } finally {
                state.unlock();
            }
            return replayAll();
        } finally {
            replaying.unlock();
        }
    }

    private boolean replayAll() {
        while (true) {
            Eviction next;
            state.lock();
            try {
                next = queue.peekFirst();
                if (next == null) {
                    return true;
                }
                next.replaying = true;
                if (next.tags != null) {
                    // Its store may have read a tag's members already: a later eviction of it must run again.
                    for (String tag : next.tags) {
                        waiting.remove(tag, next);
                    }
                }
            } finally {
                state.unlock();
            }
            long removed;
            try {
                removed = evictor.evict(next.tags);
            } catch (RuntimeException | LinkageError e) {
                if (next.tags != null && !retryable(e)) {
                    refused(next, e);
                    continue;
                }
                state.lock();
                try {
                    next.replaying = false;
                    if (next.tags != null && queue.contains(next)) {
                        for (String tag : next.tags) {
                            waiting.putIfAbsent(tag, next);
                        }
                    }
                    retryAt = nanoTime.getAsLong() + retryNanos;
                } finally {
                    state.unlock();
                }
                return false;
            }
            long replayed = 0;
            state.lock();
            try {
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
                    waiting.clear();
                }
            } finally {
                state.unlock();
            }
            if (replayed > 0) {
                LOG.info("response cache invalidation: the " + replayed + " remembered evictions were replayed;"
                        + " this instance uses the store again");
                return true;
            }
        }
    }

    private boolean retryable(Throwable fault) {
        try {
            return evictor.retryable(fault);
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }

    /**
     * A tag eviction the store refused for good: every entry is evicted instead (next, in its place), which removes
     * whatever it named, and everything remembered after it.
     */
    private void refused(Eviction eviction, Throwable fault) {
        state.lock();
        try {
            eviction.replaying = false;
            if (queue.contains(eviction)) {
                everyEntryInsteadOfAll();
            }
        } finally {
            state.unlock();
        }
        LOG.warn("response cache invalidation of " + describe(eviction.tags) + " was refused by the store (" + fault
                + "), which a retry would not change: every entry is evicted instead");
    }

    /** The tags of an eviction for a log line, the first few only. */
    static String describe(Set<String> tags) {
        if (tags == null) {
            return "every entry";
        }
        StringBuilder text = new StringBuilder("tags [");
        int shown = 0;
        for (String tag : tags) {
            if (shown == 5) {
                text.append(", and ").append(tags.size() - shown).append(" more");
                break;
            }
            text.append(shown++ > 0 ? ", " : "").append(tag);
        }
        return text.append(']').toString();
    }

    /**
     * Arms one background attempt after {@code delayNanos}, unless one is armed as early or nothing needs it. Called
     * holding {@link #state}.
     */
    private void scheduleRetry(long delayNanos) {
        if (!background || closed) {
            return;
        }
        if (retry != null && !retry.isDone()) {
            // A slack of a hundredth of the interval: requests do not move an attempt armed for about the same time.
            if (retry.getDelay(TimeUnit.NANOSECONDS) <= delayNanos + retryNanos / 100 || !retry.cancel(false)) {
                return;
            }
        }
        if (scheduler == null) {
            scheduler = new ScheduledThreadPoolExecutor(1,
                    run -> DetachedThreads.daemon(run, "responsecache-eviction-replay"));
            scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler.setRemoveOnCancelPolicy(true);
        }
        retry = scheduler.schedule(this::retryInBackground, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void retryInBackground() {
        try {
            tryReplay(false);
        } catch (RuntimeException e) {
            // Retried at the next interval.
        }
        state.lock();
        try {
            retry = null;
            // Not "unless it succeeded": an eviction remembered after the replay emptied the queue, while this task
            // still ran, found a retry scheduled and scheduled none of its own.
            if (!queue.isEmpty()) {
                scheduleRetry(Math.max(0, retryAt - nanoTime.getAsLong()));
            }
        } finally {
            state.unlock();
        }
    }

    @Override
    public void close() {
        ScheduledThreadPoolExecutor running;
        state.lock();
        try {
            closed = true;
            running = scheduler;
            scheduler = null;
        } finally {
            state.unlock();
        }
        if (running != null) {
            running.shutdownNow();
        }
    }
}
