package dev.responsecache.redis;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.RedisInputStream;
import redis.clients.jedis.util.RedisOutputStream;

/**
 * One logged-in connection carrying the {@code GET}s of many threads at once. A caller queues its key; whoever finds
 * no write in progress writes every queued {@code GET} and flushes once, so concurrent reads leave as one pipeline.
 * One reader thread reads the replies and hands them out strictly in the order the {@code GET}s were written.
 *
 * <p>Replies are matched by position only, so the connection is never trusted once in doubt: any I/O error (an
 * {@link Error} while writing too), a reply of the wrong shape, a reply nothing is owed for, or a caller whose read
 * timeout passed without the reader reading any reply since it asked closes the socket and fails every reply still
 * owed (each of those callers gets a miss; those whose {@code GET} was never written read elsewhere, unless the
 * connection stalled). Only the reader removes from the owed queue, and a {@code GET} joins it (under the write lock)
 * before its bytes are written: the n-th reply read always belongs to the n-th {@code GET} written, and a reply that
 * comes after its caller gave up is read and dropped. An error reply ({@code WRONGTYPE}) is a whole reply: it fails
 * its own caller only. No caller waits longer than one read timeout from the moment it asked.
 *
 * <p>Callers park without a timeout: a timed park costs a timer per read (on virtual threads a task scheduled and
 * cancelled on the scheduler's delay thread), where one deadline thread per connection wakes the few callers whose
 * timeout passed. It wakes at the earliest deadline still pending, at most one read timeout apart, and wakes no
 * caller whose read is answered in time; a woken caller judges its own timeout as before.
 */
final class PipelinedConnection {

    /** Completes a wait: the reply of a {@code GET} that found nothing. */
    private static final Object NIL = new Object();
    /**
     * What {@code Protocol.sendCommand} writes before a {@code GET}'s key, written as is: no command object, no
     * argument list per read.
     */
    private static final byte BULK = '$';
    private static final byte[] GET_UP_TO_KEY_LENGTH = "*2\r\n$3\r\nGET\r\n$".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;
    private final RedisOutputStream out;
    private final RedisInputStream in;
    private final String address;
    private final long timeoutNanos;
    private final Queue<Get> queued = new ConcurrentLinkedQueue<>();
    private final Queue<Get> owed = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();
    /** Why the connection was given up (a timeout, an I/O error, the store closing), once set never cleared. */
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread reader;
    /** Wakes the callers whose read timeout passed (see {@link #wakeLateCallers}). */
    private final Thread deadlines;
    /**
     * The reader's buffer for a value it expects unchanged, as long as the longest expected value (the store's are at
     * most {@link DecodedEntries#MAX_VALUE_BYTES}): compared, then handed out only as a copy.
     */
    private byte[] unchanged;
    /**
     * When the reader last read a reply: a caller whose timeout passes gives the connection up only if the reader
     * read nothing since that caller asked (see get).
     */
    private volatile long repliedAt;
    /**
     * Until when the deadline thread sleeps, as far as a caller must know: a caller whose deadline comes before it
     * wakes the thread (see {@link #wakeLateCallers}).
     */
    private volatile long wakeAt;
    /** Monotonic nanoseconds: {@code System.nanoTime}, or a test's, which moves the timeouts without waiting. */
    private final LongSupplier nanoTime;

    /** Takes over {@code socket}, already logged in and with nothing left to read, and starts its reader. */
    PipelinedConnection(Socket socket, String address, long timeoutNanos, LongSupplier nanoTime) throws IOException {
        this.nanoTime = nanoTime;
        this.repliedAt = nanoTime.getAsLong();
        this.socket = socket;
        this.address = address;
        this.timeoutNanos = timeoutNanos;
        this.wakeAt = repliedAt + timeoutNanos;
        // The reader blocks until a reply comes (one system call per read, no timed poll); callers keep the read
        // timeout themselves and close the socket, which ends the read, when the reader stops making progress.
        socket.setSoTimeout(0);
        this.out = new RedisOutputStream(socket.getOutputStream());
        this.in = new RedisInputStream(socket.getInputStream());
        this.reader = DetachedThreads.daemon(this::readReplies, "response-cache-redis-reader " + address);
        this.deadlines = DetachedThreads.daemon(this::wakeLateCallers, "response-cache-redis-deadlines " + address);
        reader.start();
        deadlines.start();
    }

    /** False once it has failed: the next read opens a new one. */
    boolean usable() {
        return failure.get() == null;
    }

    /**
     * The value at {@code key}, or null. Throws what a pooled {@code GET} would: a {@link JedisDataException} for an
     * error reply, a {@link JedisConnectionException} caused by a {@link SocketTimeoutException} when no reply came
     * within the read timeout, another {@link JedisConnectionException} for a broken connection. Hands back
     * {@code expected} (the bytes the key's last read gave, or null) itself, not a copy, when Redis answers exactly
     * its bytes: a hit whose value did not change allocates no reply. {@code expected} is only ever compared.
     */
    byte[] get(byte[] key, byte[] expected) {
        long askedAt = nanoTime.getAsLong();
        // The read timeout is the most a cache read may add to a request: one deadline, from the moment it asked.
        long deadline = askedAt + timeoutNanos;
        Get get = new Get(key, expected, Thread.currentThread(), deadline);
        queued.add(get);
        if (deadline - wakeAt < 0) {
            // Asked before the deadline thread last looked, queued after it: it may sleep past this deadline.
            LockSupport.unpark(deadlines);
        }
        Exception failed = failure.get();
        if (failed != null) {
            // Failed between the caller's check and its queueing: no reader is left to answer, and the replies still
            // owed would keep it from writing, so it would wait out the whole timeout.
            failAll(failed);
        }
        // One pipeline in flight at a time: while replies are owed, the reader writes what queued up meanwhile as
        // soon as they are in, so each write carries every GET that arrived during a round trip.
        if (owed.isEmpty()) {
            write();
        }
        boolean interrupted = false;
        boolean late = false;
        Object reply;
        while ((reply = get.reply) == null) {
            long now = nanoTime.getAsLong();
            long left = deadline - now;
            if (left <= 0) {
                // Past the timeout with no reply handed over: this caller misses now, whatever comes later. Its GET
                // stays owed (or queued) in place, so its reply, if it comes, is read and handed to no one.
                late = true;
                SocketTimeoutException timedOut = timedOut();
                if (repliedAt - askedAt > 0) {
                    // The reader read replies since this caller asked (to GETs written before its own): the
                    // connection is alive, this reply alone is late.
                    get.complete(timedOut);
                } else {
                    // Nothing read for a whole timeout while this reply was owed: Redis stalled, as a timed socket
                    // read would have said. (A JVM paused longer than the timeout looks the same: its callers miss
                    // and the connection is made again, rather than any caller wait past its timeout.)
                    fail(timedOut);
                }
                // Failing completes every wait, ours too, unless a writer holds it between the queues this instant.
                reply = get.reply != null ? get.reply : failure.get();
                break;
            }
            // Woken by its reply, by the connection failing, or by the deadline thread once the deadline passed
            // (a wake before it, or one taken by a park elsewhere before this one, is met by the checks above).
            LockSupport.park(this);
            // A pending interrupt would make every park return at once: keep it for the caller, wait out the reply.
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (reply == NIL) {
            return null;
        }
        if (reply instanceof byte[]) {
            return (byte[]) reply;
        }
        if (reply instanceof JedisDataException) {
            throw (JedisDataException) reply;
        }
        if (reply instanceof NotSent notSent) {
            if (!late && nanoTime.getAsLong() - deadline < 0) {
                throw notSent;
            }
            // Already past its timeout: a read elsewhere now would add one more timeout to the request.
            reply = timedOut();
        }
        Exception cause = (Exception) reply;
        throw new JedisConnectionException("pipelined read from Redis at " + address + " failed: " + cause, cause);
    }

    /**
     * The deadline thread: until the connection fails, wakes each caller whose deadline passed without a reply, once,
     * and sleeps until the earliest deadline still pending. A read asked after it looked has a deadline no earlier
     * than one read timeout from then, so it sleeps at most that long; one asked before but queued after its look
     * finds {@link #wakeAt} past its deadline and wakes it. It looks at {@code queued} before {@code owed}: a
     * {@code GET} joins {@code owed} before it leaves {@code queued} (see write), so one moving meanwhile is seen in
     * either. Failing completes every wait, so it ends then; and it fails the connection if it stops otherwise, or a
     * stalled Redis would keep its callers parked for good.
     */
    private void wakeLateCallers() {
        try {
            while (failure.get() == null) {
                long now = nanoTime.getAsLong();
                // Said before looking: a caller queueing after the look reads this, or the earlier deadline below.
                wakeAt = now + timeoutNanos;
                long next = wakeLate(queued, now, now + timeoutNanos);
                next = wakeLate(owed, now, next);
                wakeAt = next;
                LockSupport.parkNanos(this, next - now);
            }
        } catch (RuntimeException e) {
            fail(new JedisConnectionException("the deadline thread of Redis at " + address + " stopped: " + e, e));
        } catch (Error e) {
            fail(new JedisConnectionException("the deadline thread of Redis at " + address + " stopped: " + e, e));
            throw e;
        }
    }

    /** Wakes the waiters in {@code gets} past their deadline at {@code now}; the earliest deadline of the rest. */
    private static long wakeLate(Queue<Get> gets, long now, long next) {
        for (Get get : gets) {
            if (get.reply != null || get.woken) {
                continue;
            }
            if (get.deadline - now <= 0) {
                get.woken = true;
                LockSupport.unpark(get.waiter);
            } else if (get.deadline - next < 0) {
                next = get.deadline;
            }
        }
        return next;
    }

    /** What a timed socket read throws when no reply came in time, for the store to count as a timeout. */
    private SocketTimeoutException timedOut() {
        return new SocketTimeoutException("no reply from Redis at " + address + " within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
    }

    /**
     * Writes every queued {@code GET} unless another thread is writing (it will write ours: it looks at the queue
     * again after letting go of the lock), and flushes once.
     */
    private void write() {
        do {
            if (!writing.tryLock()) {
                return;
            }
            try {
                boolean wrote = false;
                // Only the writer takes from queued, so the head it peeked is the one it polls; a GET joins owed
                // before it leaves queued, so that the deadline thread, looking at queued then owed, never misses it.
                for (Get get = queued.peek(); get != null; get = queued.peek()) {
                    Exception failed = failure.get();
                    if (failed != null) {
                        queued.poll();
                        get.complete(unsent(failed));
                        continue;
                    }
                    owed.add(get);
                    queued.poll();
                    out.write(GET_UP_TO_KEY_LENGTH);
                    out.writeIntCrLf(get.key.length);
                    out.write(get.key);
                    out.writeCrLf();
                    wrote = true;
                }
                if (wrote) {
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            } catch (Error e) {
                // A GET may be owed whose bytes never left: every later reply would go to the caller before its own.
                fail(new JedisConnectionException("writing to Redis at " + address + " failed: " + e, e));
                throw e;
            } finally {
                writing.unlock();
            }
            // Once replies are owed, what queued meanwhile is the reader's to write when they are in: a writer does
            // not go on writing other threads' GETs past its own timeout.
        } while (owed.isEmpty() && !queued.isEmpty());
        Exception failed = failure.get();
        if (failed != null) {
            failAll(failed);
        }
    }

    /** The reader thread: reads while the socket is open, each reply to the oldest {@code GET} still owed. */
    private void readReplies() {
        try {
            while (true) {
                Object reply;
                if (in.peek(BULK)) {
                    reply = bulkReply();
                } else {
                    try {
                        reply = Protocol.read(in);
                    } catch (JedisDataException e) {
                        reply = e;
                    }
                }
                if (reply == null) {
                    reply = NIL;
                } else if (!(reply instanceof byte[]) && !(reply instanceof JedisDataException)) {
                    throw new JedisConnectionException("Redis answered a GET with " + reply.getClass().getName());
                }
                Get get = owed.poll();
                if (get == null) {
                    throw new JedisConnectionException("Redis sent a reply no GET was waiting for");
                }
                repliedAt = nanoTime.getAsLong();
                get.complete(reply);
                // Queued after (or while) a caller found replies owed: theirs to write now (see get).
                if (owed.isEmpty() && !queued.isEmpty()) {
                    write();
                }
            }
        } catch (RuntimeException e) {
            // Closing the socket (a timeout, the store closing) ends the read here too; the first cause is kept.
            fail(e.getCause() instanceof IOException ? (IOException) e.getCause() : e);
        } catch (Error e) {
            // An OutOfMemoryError reading a large value: without a reader, every read would wait out its timeout.
            fail(new JedisConnectionException("the pipelined reader of Redis at " + address + " stopped: " + e, e));
            throw e;
        }
    }

    /**
     * A bulk reply, read as {@code Protocol.read} reads it (and its closing CRLF checked), into the bytes the oldest
     * owed {@code GET} expects when they are equal: only the reader removes from {@code owed}, so its head is the
     * {@code GET} this reply answers (if none is owed, the caller finds out after the read). Null for a nil reply,
     * as {@code Protocol.read} answers.
     */
    private byte[] bulkReply() {
        in.readByte();
        int length = in.readIntCrLf();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new JedisConnectionException("Redis answered a GET with a bulk reply of length " + length);
        }
        Get head = owed.peek();
        byte[] expected = head == null ? null : head.expected;
        byte[] value;
        if (expected != null && expected.length == length) {
            if (unchanged == null || unchanged.length < length) {
                unchanged = new byte[length];
            }
            readFully(unchanged, length);
            value = Arrays.equals(unchanged, 0, length, expected, 0, length) ? expected
                    : Arrays.copyOf(unchanged, length);
        } else {
            value = new byte[length];
            readFully(value, length);
        }
        if (in.readByte() != '\r' || in.readByte() != '\n') {
            throw new JedisConnectionException("Redis ended a bulk reply without CRLF");
        }
        return value;
    }

    private void readFully(byte[] into, int length) {
        for (int read = 0; read < length; ) {
            int n = in.read(into, read, length - read);
            if (n < 0) {
                throw new JedisConnectionException("Redis closed the connection within a reply");
            }
            read += n;
        }
    }

    /** Gives the connection up: closes the socket and fails every reply still owed or queued. */
    void fail(Exception cause) {
        if (failure.compareAndSet(null, cause)) {
            closeQuietly(socket);
            LockSupport.unpark(deadlines);
        }
        failAll(failure.get());
    }

    /** Completes every wait left (no-op for those answered); never removes from {@code owed}: the reader does. */
    private void failAll(Exception cause) {
        for (Get get : owed) {
            get.complete(cause);
        }
        Object unsent = unsent(cause);
        for (Get get : queued) {
            get.complete(unsent);
        }
    }

    /**
     * What a caller whose {@code GET} was never written is handed when the connection failed for {@code cause}: a
     * {@link NotSent}, to read elsewhere rather than count one more failure of the same fault; but not after a
     * stall, where a read elsewhere would wait out a timeout of its own on the Redis that just stalled, past the one
     * its caller may spend: that caller misses too, as a timeout.
     */
    private static Object unsent(Exception cause) {
        return cause instanceof SocketTimeoutException ? cause : NotSent.INSTANCE;
    }

    static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed is closed
        }
    }

    /** Closes the connection and waits (briefly) for its reader and its deadline thread to end. */
    void close(long waitMillis) {
        fail(new JedisConnectionException("the Redis store was closed"));
        try {
            reader.join(waitMillis);
            deadlines.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Thrown to a caller whose {@code GET} was never written because the connection failed first (broken, not
     * stalled) while the caller's timeout still runs: it reads again
     * with a pooled connection ({@link PipelinedReads}), and the fault is counted once, by the reads it did fail.
     * Also every caller's, written or not, when the connection is retired ({@link PipelinedReads#retire}): its
     * server no longer serves the hits, and no reply from it is handed out.
     */
    static final class NotSent extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final NotSent INSTANCE = new NotSent();

        private NotSent() {
            super("the pipelined connection failed before this GET was written", null, false, false);
        }
    }

    /** One caller's {@code GET}: its key, and the reply (a value, {@link #NIL} or an exception) once known. */
    private static final class Get {

        private static final VarHandle REPLY;

        static {
            try {
                REPLY = MethodHandles.lookup().findVarHandle(Get.class, "reply", Object.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final byte[] key;
        /** The bytes the caller read last time at this key, or null (see {@link #get}). */
        final byte[] expected;
        final Thread waiter;
        /** When its caller's read timeout passes, on the connection's clock. */
        final long deadline;
        volatile Object reply;
        /** Set by the deadline thread alone, once it has woken the waiter past its deadline. */
        boolean woken;

        Get(byte[] key, byte[] expected, Thread waiter, long deadline) {
            this.key = key;
            this.expected = expected;
            this.waiter = waiter;
            this.deadline = deadline;
        }

        /** The first completion wins (a reply read, or the connection failing); the waiter is woken. */
        void complete(Object result) {
            if (REPLY.compareAndSet(this, null, result)) {
                LockSupport.unpark(waiter);
            }
        }
    }
}
