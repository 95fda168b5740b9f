package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Eventually;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * When a pipelined read gives up, and when it gives its connection up. Against a stand-in server that answers when
 * the test says, with a clock the test moves: a caller's timeout passes without any waiting.
 */
class PipelinedConnectionTest {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicReference<Thread> caller = new AtomicReference<>();
    private StandInRedis standIn;
    private Socket served;
    private PipelinedConnection connection;

    /** The test's clock: it moves only when the test moves it. */
    private final LongSupplier clock = () -> now.get();

    @BeforeEach
    void connect() throws Exception {
        standIn = new StandInRedis(TIMEOUT, clock);
        served = standIn.served;
        connection = standIn.connection;
    }

    @AfterEach
    void close() throws Exception {
        standIn.close();
    }

    /**
     * A read timeout is the most a read may wait: a caller whose timeout passed with nothing read since it asked
     * misses then, counted as a timeout, and the connection (stalled, or at best paused) is given up. It used to wait
     * one more timeout for the reader to make progress: twice the configured bound.
     */
    @Test
    void callerMissesOnceItsTimeoutPassesAndTheConnectionIsGivenUpWhenNothingWasReadSinceItAsked() throws Exception {
        CompletableFuture<byte[]> read = readInTheBackground();
        awaitRequest();

        now.addAndGet(TIMEOUT + 1);
        LockSupport.unpark(caller.get());

        // Only one timeout has passed on the connection's clock, and the clock stands still from now on.
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> read.get(30, TimeUnit.SECONDS));
        JedisConnectionException fault = assertInstanceOf(JedisConnectionException.class, failed.getCause());
        assertInstanceOf(SocketTimeoutException.class, fault.getCause(), "counted as a timeout, as a pooled GET's");
        assertFalse(connection.usable());
    }

    /**
     * Callers park without a timer: on a server that stopped answering, the connection's deadline thread is what ends
     * the wait. Here nothing else wakes the caller once the clock passes its timeout.
     */
    @Test
    void callerParkedWithoutATimerIsWokenByTheDeadlineThreadOnceItsTimeoutPasses() throws Exception {
        CompletableFuture<byte[]> read = readInTheBackground();
        awaitRequest();
        Eventually.until(() -> LockSupport.getBlocker(caller.get()) == connection, Duration.ofSeconds(30),
                () -> "the caller never waited");

        now.addAndGet(TIMEOUT + 1);

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> read.get(30, TimeUnit.SECONDS));
        assertInstanceOf(SocketTimeoutException.class, failed.getCause().getCause(), "counted as a timeout");
        assertFalse(connection.usable(), "nothing was read since it asked: the connection stalled");
    }

    /**
     * The deadline thread sleeps until the earliest deadline it saw, at most one read timeout past its look; a read
     * whose caller took the clock before that look but queued after it has an earlier deadline, which the thread slept
     * past (here for an hour: nothing else wakes the caller). Such a caller now wakes the thread.
     */
    @Test
    void readAskedBeforeTheDeadlineThreadLookedButQueuedAfterWaitedPastItsTimeout() throws Exception {
        long timeout = TimeUnit.HOURS.toNanos(1);
        AtomicLong time = new AtomicLong(1_000_000_000L);
        AtomicReference<Thread> deadlineThread = new AtomicReference<>();
        Semaphore deadlineThreadMayLook = new Semaphore(0);
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch mayQueue = new CountDownLatch(1);
        AtomicReference<Thread> held = new AtomicReference<>();
        LongSupplier clock = () -> {
            Thread thread = Thread.currentThread();
            if (thread.getName().startsWith("response-cache-redis-deadlines")) {
                deadlineThread.set(thread);
                deadlineThreadMayLook.acquireUninterruptibly();
                return time.get();
            }
            if (held.compareAndSet(thread, null)) {
                long askedAt = time.get();
                asked.countDown();
                awaitUninterruptibly(mayQueue);
                return askedAt;
            }
            return time.get();
        };
        try (StandInRedis late = new StandInRedis(timeout, clock)) {
            CompletableFuture<byte[]> read = new CompletableFuture<>();
            Thread reading = new Thread(() -> {
                try {
                    read.complete(late.connection.get("k".getBytes(StandardCharsets.US_ASCII), null));
                } catch (RuntimeException e) {
                    read.completeExceptionally(e);
                }
            }, "pipelined-caller-held");
            reading.setDaemon(true);
            held.set(reading);
            reading.start();
            try {
                assertTrue(asked.await(30, TimeUnit.SECONDS), "the caller never asked");
                // The deadline thread looks half a timeout after the caller asked, finds nothing, and sleeps.
                time.addAndGet(timeout / 2);
                deadlineThreadMayLook.release();
                Eventually.until(() -> deadlineThread.get() != null
                        && LockSupport.getBlocker(deadlineThread.get()) == late.connection, Duration.ofSeconds(30),
                        () -> "the deadline thread never slept");
                mayQueue.countDown();
                late.served.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
                assertTrue(late.served.getInputStream().read(new byte[64]) > 0, "the GET was written");
                Eventually.until(() -> LockSupport.getBlocker(reading) == late.connection, Duration.ofSeconds(30),
                        () -> "the caller never waited");

                time.addAndGet(timeout / 2 + 1);
                deadlineThreadMayLook.release();

                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> read.get(30, TimeUnit.SECONDS));
                assertInstanceOf(SocketTimeoutException.class, failed.getCause().getCause(), "counted as a timeout");
            } finally {
                mayQueue.countDown();
                deadlineThreadMayLook.release(1_000);
            }
        }
    }

    /**
     * Only the deadline thread wakes a caller of a Redis that stopped answering: when it ended on an exception (its
     * clock's, an OutOfMemoryError), nothing failed the connection, and every caller of it stayed parked for good.
     */
    @Test
    void callersStayedParkedForGoodOnceTheDeadlineThreadEndedOnAnException() throws Exception {
        AtomicLong time = new AtomicLong(1_000_000_000L);
        AtomicReference<Thread> deadlineThread = new AtomicReference<>();
        AtomicReference<RuntimeException> clockFailure = new AtomicReference<>();
        LongSupplier clock = () -> {
            Thread thread = Thread.currentThread();
            if (thread.getName().startsWith("response-cache-redis-deadlines")) {
                deadlineThread.set(thread);
                RuntimeException failure = clockFailure.get();
                if (failure != null) {
                    throw failure;
                }
            }
            return time.get();
        };
        try (StandInRedis stopped = new StandInRedis(TimeUnit.HOURS.toNanos(1), clock)) {
            CompletableFuture<byte[]> read = new CompletableFuture<>();
            Thread reading = new Thread(() -> {
                try {
                    read.complete(stopped.connection.get("k".getBytes(StandardCharsets.US_ASCII), null));
                } catch (RuntimeException e) {
                    read.completeExceptionally(e);
                }
            }, "pipelined-caller-of-a-stopped-deadline-thread");
            reading.setDaemon(true);
            reading.start();
            stopped.served.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            assertTrue(stopped.served.getInputStream().read(new byte[64]) > 0, "the GET was written");
            Eventually.until(() -> LockSupport.getBlocker(reading) == stopped.connection
                    && deadlineThread.get() != null, Duration.ofSeconds(30), () -> "the caller never waited");

            clockFailure.set(new IllegalStateException("the clock failed"));
            LockSupport.unpark(deadlineThread.get());

            ExecutionException failed = assertThrows(ExecutionException.class, () -> read.get(30, TimeUnit.SECONDS));
            assertInstanceOf(JedisConnectionException.class, failed.getCause());
            assertFalse(stopped.connection.usable(), "no caller is woken at its timeout any more: given up");
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A caller whose reply is late while the reader reads the replies owed before it misses alone at its timeout: the
     * connection stays, and its reply, when it comes, is read and handed to no one, so the next caller gets its own.
     */
    @Test
    void lateReplyMissesAloneAtItsCallersTimeoutAndIsNeverHandedToTheNextCaller() throws Exception {
        CompletableFuture<byte[]> first = readInTheBackground("first");
        awaitRequest();
        // The second GET waits behind the first's owed reply; the first reply writes it.
        CompletableFuture<byte[]> second = readInTheBackground("second");
        Eventually.until(() -> LockSupport.getBlocker(caller.get()) == connection, Duration.ofSeconds(30),
                () -> "the second caller never waited");
        now.addAndGet(1);
        reply("$5\r\nfirst\r\n");
        assertArrayEquals("first".getBytes(StandardCharsets.US_ASCII), first.get(30, TimeUnit.SECONDS));
        awaitRequest();

        // The second caller's timeout passes with its reply still owed; the reader read the first's since it asked.
        now.addAndGet(TIMEOUT + 1);
        LockSupport.unpark(caller.get());
        ExecutionException failed = assertThrows(ExecutionException.class, () -> second.get(30, TimeUnit.SECONDS));
        assertInstanceOf(SocketTimeoutException.class, failed.getCause().getCause());
        assertTrue(connection.usable(), "one late reply among others read is not a stalled Redis");

        // Its reply comes after all: the next caller must get its own, not this one.
        reply("$6\r\nsecond\r\n");
        CompletableFuture<byte[]> third = readInTheBackground("third");
        awaitRequest();
        reply("$5\r\nthird\r\n");
        assertArrayEquals("third".getBytes(StandardCharsets.US_ASCII), third.get(30, TimeUnit.SECONDS));
        assertTrue(connection.usable());
    }

    private CompletableFuture<byte[]> readInTheBackground() {
        return readInTheBackground("k");
    }

    private CompletableFuture<byte[]> readInTheBackground(String key) {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                read.complete(connection.get(key.getBytes(StandardCharsets.US_ASCII), null));
            } catch (RuntimeException e) {
                read.completeExceptionally(e);
            }
        }, "pipelined-caller");
        thread.setDaemon(true);
        caller.set(thread);
        thread.start();
        return read;
    }

    /** Waits for the caller's GET to reach the stand-in: it is written, and its reply owed. */
    private void awaitRequest() throws Exception {
        served.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
        InputStream in = served.getInputStream();
        byte[] request = new byte[64];
        int read = in.read(request);
        assertTrue(read > 0, "the GET was written");
    }

    private void reply(String resp) throws Exception {
        served.getOutputStream().write(resp.getBytes(StandardCharsets.US_ASCII));
        served.getOutputStream().flush();
    }
}
