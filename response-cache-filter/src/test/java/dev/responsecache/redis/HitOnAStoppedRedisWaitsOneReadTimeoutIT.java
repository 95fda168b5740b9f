package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.OnItsOwnThread;
import dev.responsecache.testing.RedisProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read timeout is the most a cache read may add to a request: a Redis that hangs costs each hit at most that,
 * then the hit is served uncached. A hit reading through the pipelined connection waited up to twice the read timeout
 * on a hung Redis: past its own timeout it waited one more for the connection's reader to read anything before it
 * judged the connection stalled; and a hit whose {@code GET} was still queued behind the stalled one was then sent to
 * a pooled connection, to wait out a timeout of its own on the same hung server.
 *
 * <p>What the caller got: no answer once its timeout had passed on the store's clock, until the test moved the clock
 * by one more timeout. Expected: a miss, counted as a timeout, as soon as one timeout has passed since it asked, for
 * every caller waiting on the connection. The server is a real {@code redis-server}, stopped with SIGSTOP (it keeps its
 * connections open and answers nothing); time is the store's injected monotonic source, which moves only when the
 * test moves it, so a timeout never passes by waiting and the test knows exactly how many have.
 */
class HitOnAStoppedRedisWaitsOneReadTimeoutIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /**
     * On the store's clock, which the test moves. Longer than {@link #DEADLINE} in real time too: a pooled read (whose
     * socket timeout is real time) on the stopped server would outlast the test, never end it.
     */
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);
    private static RedisProcess server;

    private final String prefix = RedisApps.uniquePrefix();
    private final WatchedNanos nanos = new WatchedNanos();

    @BeforeAll
    static void startServer() throws IOException {
        server = RedisProcess.plain(Files.createTempDirectory("redis-stopped-hit"));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void hitOnAStoppedRedisMissesOnceOneReadTimeoutHasPassedSinceItAsked() throws Exception {
        RedisStore store = open();
        try {
            store.put(entry(1));
            assertNotNull(store.get(key(1)), "the pipelined connection is made by a first hit");

            server.signal("STOP");
            try {
                OnItsOwnThread<CacheEntry> reader = reading(store, key(1));
                awaitWaiting(reader);

                nanos.movedAndSeenBy(reader.thread(), READ_TIMEOUT.plusNanos(1));

                // Either it gave up (and returns), or it looked at the clock and parked again to wait for more.
                Eventually.until(() -> reader.result().isDone() || nanos.parkedAgain(reader.thread()), DEADLINE,
                        () -> "the read neither ended nor waited: " + reader.thread().getState());
                assertTrue(reader.result().isDone(), "the hit waits on past one read timeout on the store's clock");
                assertNull(reader.get(DEADLINE), "a miss");
                Map<String, Long> faults = store.faultCounts();
                assertEquals(1L, faults.get(StoreFaults.TIMEOUT), faults::toString);
                assertEquals(0L, faults.get(StoreFaults.CONNECTION), faults::toString);
            } finally {
                server.signal("CONT");
            }
            Eventually.until(() -> {
                // Past any cool-down the breaker may have begun.
                nanos.move(Duration.ofHours(1));
                return store.get(key(1)) != null;
            }, DEADLINE, () -> "hits never resumed: " + store.faultCounts());
        } finally {
            store.close();
        }
    }

    /**
     * Three hits on the stopped server: the first one's {@code GET} written, the other two queued behind its owed
     * reply. One timeout after the last of them asked, every one has missed, and none was sent to the pool instead.
     */
    @Test
    void hitsQueuedBehindAStoppedRedisAllMissOnceOneReadTimeoutHasPassed() throws Exception {
        RedisStore store = open();
        try {
            for (int i = 2; i <= 4; i++) {
                store.put(entry(i));
            }
            assertNotNull(store.get(key(2)), "the pipelined connection is made by a first hit");

            server.signal("STOP");
            try {
                List<OnItsOwnThread<CacheEntry>> readers = new ArrayList<>();
                for (int i = 2; i <= 4; i++) {
                    OnItsOwnThread<CacheEntry> reader = reading(store, key(i));
                    awaitWaiting(reader);
                    readers.add(reader);
                }

                nanos.move(READ_TIMEOUT.plusNanos(1));
                readers.forEach(reader -> LockSupport.unpark(reader.thread()));

                // A read sent to the pool now would wait out a real read timeout, longer than this deadline.
                for (OnItsOwnThread<CacheEntry> reader : readers) {
                    Eventually.until(reader.result()::isDone, DEADLINE,
                            () -> reader.thread().getName() + " waited on past one read timeout: "
                                    + reader.thread().getState());
                    assertNull(reader.get(DEADLINE), "a miss");
                }
                Map<String, Long> faults = store.faultCounts();
                assertEquals(3L, faults.get(StoreFaults.TIMEOUT), "each a timeout: " + faults);
                assertEquals(0L, faults.get(StoreFaults.CONNECTION), faults::toString);
            } finally {
                server.signal("CONT");
            }
        } finally {
            store.close();
        }
    }

    /** Waits for the read to wait for its reply on the pipelined connection (its GET written or queued). */
    private static void awaitWaiting(OnItsOwnThread<CacheEntry> reader) {
        Eventually.until(() -> LockSupport.getBlocker(reader.thread()) instanceof PipelinedConnection, DEADLINE,
                () -> "the read never waited on the pipelined connection: " + reader.thread().getState());
    }

    private RedisStore open() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(ResponseCacheProperties.REDIS_URI, "redis://127.0.0.1:" + server.port());
        properties.put(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix);
        properties.put(ResponseCacheProperties.REDIS_READ_TIMEOUT, READ_TIMEOUT.toMillis() + "ms");
        return RedisConnections.open(RedisSettings.from(new PropertyValues(properties::get)), Clock.systemUTC(),
                nanos);
    }

    private static String key(int i) {
        return "GET /stopped/" + i;
    }

    private static CacheEntry entry(int i) {
        long now = System.currentTimeMillis();
        return new CacheEntry(key(i), 200, List.of(new Header("Content-Type", "text/plain")),
                ("item " + i).getBytes(StandardCharsets.UTF_8), now, now + 3_600_000, List.of());
    }

    /** A store read on a thread of its own. */
    private static OnItsOwnThread<CacheEntry> reading(RedisStore store, String key) {
        return OnItsOwnThread.calling("stopped-redis-reader " + key, () -> store.get(key));
    }

    /**
     * The store's monotonic clock: it moves only when the test says, and counts how often a watched thread has read
     * it since the last move.
     */
    private static final class WatchedNanos implements LongSupplier {

        private final AtomicLong now = new AtomicLong(1_000_000_000L);
        private final AtomicInteger watchedReads = new AtomicInteger();
        private volatile Thread watched;

        @Override
        public long getAsLong() {
            if (Thread.currentThread() == watched) {
                watchedReads.incrementAndGet();
            }
            return now.get();
        }

        void move(Duration by) {
            now.addAndGet(by.toNanos());
        }

        /** Moves the clock and wakes {@code waiter}, whose reads of the clock are counted from now on. */
        void movedAndSeenBy(Thread waiter, Duration by) {
            watchedReads.set(0);
            watched = waiter;
            move(by);
            LockSupport.unpark(waiter);
        }

        /**
         * Whether {@code waiter} read the moved clock (once to find its timeout, once more before parking) and then
         * parked on the pipelined connection again: it chose to wait on.
         */
        boolean parkedAgain(Thread waiter) {
            return watchedReads.get() >= 2 && LockSupport.getBlocker(waiter) instanceof PipelinedConnection
                    && waiter.getState() == Thread.State.TIMED_WAITING;
        }
    }
}
