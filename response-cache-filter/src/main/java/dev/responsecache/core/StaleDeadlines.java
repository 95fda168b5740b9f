package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The timer of the stale-if-error deadlines of one cache: at most {@link #THREADS} daemon threads, started with the
 * first deadline armed (an application without deadlines has none) and stopped when the cache closes. A cancelled
 * deadline leaves the queue at once, so the queue never holds more than the requests in flight.
 */
final class StaleDeadlines implements AutoCloseable {

    /**
     * A fired deadline writes a stale answer's status and lines (buffered by the container): two are plenty. Its body,
     * which a slow client may take long to read, is written by a thread of its own ({@link #sendBody}).
     */
    static final int THREADS = 2;
    static final String THREAD_NAME = "responsecache-stale-deadline-";
    static final String BODY_THREAD_NAME = "responsecache-stale-body-";
    /** An idle body thread ends after this. */
    private static final long BODY_THREAD_IDLE_SECONDS = 30;
    private static final Duration LONGEST = Duration.ofDays(1);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final long defaultMillis;
    private final AtomicInteger threads = new AtomicInteger();
    /**
     * The threads this timer started and that have not ended (at most {@link #THREADS} timer threads, and a body thread
     * for each stale body being written): closing waits for them to end.
     */
    private final List<Thread> started = new CopyOnWriteArrayList<>();
    /**
     * Guards the executors and {@link #closed}. A lock, not a monitor: every request with a deadline arms it under
     * this lock, contended, and arming enters the timer queue's own lock (and starts a thread the first time); a
     * virtual request thread blocked entering a monitor, or inside one, pins its carrier thread on Java 21 to 23.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private ScheduledThreadPoolExecutor scheduler;
    /**
     * Writes stale bodies: one thread per body being written, each one a request's whose thread waits for it, so
     * there are never more than the container's request threads.
     */
    private ThreadPoolExecutor bodies;
    private boolean closed;

    StaleDeadlines(long defaultMillis) {
        this.defaultMillis = defaultMillis;
    }

    static StaleDeadlines from(PropertyValues properties) {
        String name = ResponseCacheProperties.STALE_IF_ERROR_DEADLINE;
        Duration deadline = properties.durationOrZero(name, Duration.ZERO);
        if (deadline.compareTo(LONGEST) > 0) {
            throw ResponseCacheConfigException.badValue(name, properties.string(name),
                    "a duration of at most 1 day, or 0");
        }
        return new StaleDeadlines(deadline.toMillis());
    }

    /** The deadline of a method declaring {@code seconds} ({@code -1}: the configured default), in ms; 0: none. */
    long millis(long seconds) {
        return seconds < 0 ? defaultMillis : TimeUnit.SECONDS.toMillis(seconds);
    }

    /** Checks a declared deadline at start-up. */
    static long checked(String owner, long seconds) {
        if (seconds < -1 || seconds > LONGEST.toSeconds()) {
            throw new ResponseCacheConfigException(owner + ": staleIfErrorDeadline must be -1 (the configured"
                    + " default), 0 (none) or up to " + LONGEST.toSeconds() + " seconds, not " + seconds);
        }
        return seconds;
    }

    /** Runs {@code task} in {@code millis}; the returned handle cancels it. Null once closed: nothing is armed. */
    Runnable schedule(Runnable task, long millis) {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            if (scheduler == null) {
                scheduler = new ScheduledThreadPoolExecutor(THREADS, run -> {
                    Thread thread = DetachedThreads.daemon(run, THREAD_NAME + threads.incrementAndGet());
                    started.add(thread);
                    return thread;
                });
                scheduler.setRemoveOnCancelPolicy(true);
                scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            }
            ScheduledFuture<?> armed = scheduler.schedule(task, millis, TimeUnit.MILLISECONDS);
            return () -> armed.cancel(false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a stale answer's body ({@code body}), on a thread of its own: on the timer's, a client that reads slowly or
     * not at all would hold back every other request's deadline until the container gives up on the write. Run on
     * the caller's thread once the cache is closing.
     */
    void sendBody(Runnable body) {
        ThreadPoolExecutor writers;
        lock.lock();
        try {
            if (!closed && bodies == null) {
                bodies = new ThreadPoolExecutor(0, Integer.MAX_VALUE, BODY_THREAD_IDLE_SECONDS, TimeUnit.SECONDS,
                        new SynchronousQueue<>(), run -> {
                            Thread thread = DetachedThreads.daemon(() -> {
                                try {
                                    run.run();
                                } finally {
                                    started.remove(Thread.currentThread());
                                }
                            }, BODY_THREAD_NAME + threads.incrementAndGet());
                            started.add(thread);
                            return thread;
                        });
            }
            writers = closed ? null : bodies;
        } finally {
            lock.unlock();
        }
        if (writers != null) {
            try {
                writers.execute(body);
                return;
            } catch (RejectedExecutionException closing) {
                // Closed meanwhile: written here.
            }
        }
        body.run();
    }

    /** Stops the threads, waiting (bounded) for a deadline being answered; pending deadlines never fire. */
    @Override
    public void close() {
        ScheduledThreadPoolExecutor running;
        ThreadPoolExecutor writers;
        lock.lock();
        try {
            closed = true;
            running = scheduler;
            scheduler = null;
            writers = bodies;
            bodies = null;
        } finally {
            lock.unlock();
        }
        if (writers != null) {
            // A body being written ends with its client's write; none waits to start.
            writers.shutdown();
        }
        if (running == null) {
            return;
        }
        running.shutdownNow();
        try {
            long until = System.nanoTime() + CLOSE_WAIT.toNanos();
            running.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            // A terminated pool's workers may still be leaving their run loop: the container's leak check (and
            // anyone asking) sees no thread once close returns.
            for (Thread thread : started) {
                long left = until - System.nanoTime();
                if (left > 0) {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a thread this timer started is still alive. */
    boolean anyThreadAlive() {
        for (Thread thread : started) {
            if (thread.isAlive()) {
                return true;
            }
        }
        return false;
    }
}
