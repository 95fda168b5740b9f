package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.OnItsOwnThread;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A pipeline held half-written: the first caller's {@code GET} is written and its reply held by a stand-in server, so
 * a second caller's {@code GET} stays queued behind it. When the connection then fails, the written one misses and
 * the queued one is told it was never sent ({@link PipelinedConnection.NotSent}: it may read elsewhere) unless its own
 * timeout has already passed or the connection stalled (then it misses as a timeout). The clock is the test's: timeouts pass when the test moves it, never by waiting.
 */
class PipelinedConnectionNotSentTest {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(60);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final long START = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(START);
    /** Every byte the stand-in has read. */
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
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
        served.setSoTimeout((int) DEADLINE.toMillis());
    }

    @AfterEach
    void close() throws Exception {
        standIn.close();
    }

    @Test
    void getQueuedBehindAnOwedReplyIsNotSentWhenTheServerClosesTheConnection() throws Exception {
        OnItsOwnThread<byte[]> written = reading("k1");
        awaitRequest();
        OnItsOwnThread<byte[]> queued = reading("k2");
        awaitQueued(queued);

        served.close();

        JedisConnectionException broken = failure(written);
        assertFalse(broken.getCause() instanceof SocketTimeoutException, "a closed connection is not a timeout");
        assertInstanceOf(PipelinedConnection.NotSent.class, exceptionOf(queued),
                "never written: the caller may read elsewhere");
        assertFalse(connection.usable());
    }

    /**
     * A stall is found by the first caller whose timeout passes with nothing read: the GET queued behind it was never
     * written, and its caller's timeout still runs, but a pooled read now would wait out a timeout of its own on the
     * Redis that just stalled. So it misses at once, as a timeout, rather than add up to one more timeout to the
     * request.
     */
    @Test
    void getQueuedBehindAStalledReplyMissesAsATimeoutWhenAnEarlierCallerGivesTheConnectionUp() throws Exception {
        OnItsOwnThread<byte[]> written = reading("k1");
        awaitRequest();
        // The second caller comes later, so its own timeout is still running when the first one gives up.
        now.set(START + 10);
        OnItsOwnThread<byte[]> queued = reading("k2");
        awaitQueued(queued);

        now.set(START + TIMEOUT + 1);
        LockSupport.unpark(written.thread());

        JedisConnectionException stalled = failure(written);
        assertInstanceOf(SocketTimeoutException.class, stalled.getCause(), "the stalled read is a timeout");
        JedisConnectionException behind = failure(queued);
        assertInstanceOf(SocketTimeoutException.class, behind.getCause(),
                "never written, but a read elsewhere would wait on the stalled Redis past its caller's timeout");
        assertFalse(connection.usable());
        assertEquals(1, getsReceived(), "the queued GET never reached the server");
    }

    /**
     * The connection breaks after a queued caller's timeout passed but before that caller looked at the clock again:
     * it misses as a timeout, rather than read elsewhere and wait on past its timeout.
     */
    @Test
    void getNeverWrittenWhoseCallerIsPastItsTimeoutIsATimeoutNotARetry() throws Exception {
        OnItsOwnThread<byte[]> written = reading("k1");
        awaitRequest();
        OnItsOwnThread<byte[]> queued = reading("k2");
        awaitQueued(queued);
        // Neither caller is woken: the clock alone moves past both timeouts.
        now.set(START + TIMEOUT + 1);

        served.close();

        JedisConnectionException late = failure(queued);
        assertInstanceOf(SocketTimeoutException.class, late.getCause(),
                "a read elsewhere would wait past its timeout: a miss counted as a timeout instead");
    }

    /**
     * A caller that checked the connection just before it failed: the replies still owed will never come and no
     * reader is left to write its GET, so it is told at once (the clock stands still) that it was not sent.
     */
    @Test
    void getOnAConnectionThatFailedWithRepliesOwedIsNotSentWithoutWaitingItsTimeout() throws Exception {
        OnItsOwnThread<byte[]> written = reading("k1");
        awaitRequest();
        served.close();
        failure(written);

        OnItsOwnThread<byte[]> late = reading("k2");

        assertInstanceOf(PipelinedConnection.NotSent.class, exceptionOf(late));
    }

    /** A caller reading {@code key} on its own thread. */
    private OnItsOwnThread<byte[]> reading(String key) {
        return OnItsOwnThread.calling("pipelined-caller-" + key,
                () -> connection.get(key.getBytes(StandardCharsets.US_ASCII), null));
    }

    /** Waits for the first caller's GET to reach the stand-in whole: it is written, and its reply owed. */
    private void awaitRequest() throws Exception {
        InputStream in = served.getInputStream();
        byte[] buffer = new byte[64];
        while (!received.toString(StandardCharsets.US_ASCII).endsWith("$2\r\nk1\r\n")) {
            int read = in.read(buffer);
            assertTrue(read > 0, "the connection ended before the GET was written");
            received.write(buffer, 0, read);
        }
    }

    /**
     * Waits for the caller to wait for its reply: its GET was queued (before it parks) and not written, since a reply
     * is owed and only the reader writes once that reply is in.
     */
    private void awaitQueued(OnItsOwnThread<byte[]> caller) {
        Eventually.until(() -> LockSupport.getBlocker(caller.thread()) == connection, DEADLINE,
                () -> caller.thread().getName() + " never waited on the connection: " + caller.thread().getState());
    }

    private static JedisConnectionException failure(OnItsOwnThread<byte[]> caller) throws Exception {
        return assertInstanceOf(JedisConnectionException.class, exceptionOf(caller));
    }

    private static Throwable exceptionOf(OnItsOwnThread<byte[]> caller) throws Exception {
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> caller.get(DEADLINE));
        return failed.getCause();
    }

    /** How many GETs the stand-in received in all: it reads until the connection's end. */
    private int getsReceived() throws Exception {
        served.getInputStream().transferTo(received);
        return received.toString(StandardCharsets.US_ASCII).split("\\$3\r\nGET\r\n", -1).length - 1;
    }
}
