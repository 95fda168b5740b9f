package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
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
 * When a pipelined read gives its connection up. Against a stand-in server that answers when the test says, with a
 * clock the test moves: a caller's timeout passes without any waiting, and the test knows when the caller has seen it.
 */
class PipelinedConnectionTest {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);
    private static final byte[] KEY = "k".getBytes(StandardCharsets.US_ASCII);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicReference<Thread> caller = new AtomicReference<>();
    private volatile CountDownLatch callerClockReads = new CountDownLatch(0);
    private StandInRedis standIn;
    private Socket served;
    private PipelinedConnection connection;

    /** The test's clock; counts the reads the watched caller makes of it. */
    private final LongSupplier clock = () -> {
        if (Thread.currentThread() == caller.get()) {
            callerClockReads.countDown();
        }
        return now.get();
    };

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

    @Test
    void replyLeftUnreadPastTheCallersTimeoutIsStillItsAndKeepsTheConnection() throws Exception {
        CompletableFuture<byte[]> read = readInTheBackground();
        awaitRequest();
        callerSeesItsTimeoutPass();

        // The reply was there all along; the reader only ran late (a collection, a busy core).
        reply("$5\r\nhello\r\n");

        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), read.get(30, TimeUnit.SECONDS));
        assertTrue(connection.usable(), "a late reader is not a stalled Redis");
    }

    @Test
    void connectionIsGivenUpWhenNothingIsReadForOneMoreTimeout() throws Exception {
        CompletableFuture<byte[]> read = readInTheBackground();
        awaitRequest();
        callerSeesItsTimeoutPass();

        // Nothing read since: Redis stalled.
        now.addAndGet(TIMEOUT + 1);
        LockSupport.unpark(caller.get());

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> read.get(30, TimeUnit.SECONDS));
        JedisConnectionException fault = assertInstanceOf(JedisConnectionException.class, failed.getCause());
        assertInstanceOf(SocketTimeoutException.class, fault.getCause(), "counted as a timeout, as a pooled GET's");
        assertFalse(connection.usable());
    }

    private CompletableFuture<byte[]> readInTheBackground() {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                read.complete(connection.get(KEY, null));
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

    /** Moves the clock past the caller's timeout and returns once the caller has seen it and waits on. */
    private void callerSeesItsTimeoutPass() throws InterruptedException {
        // Two reads: the one that finds the timeout past, then the one before it parks again.
        callerClockReads = new CountDownLatch(2);
        now.addAndGet(TIMEOUT + 1);
        LockSupport.unpark(caller.get());
        assertTrue(callerClockReads.await(30, TimeUnit.SECONDS), "the caller never looked at the clock again");
    }

    private void reply(String resp) throws Exception {
        served.getOutputStream().write(resp.getBytes(StandardCharsets.US_ASCII));
        served.getOutputStream().flush();
    }
}
