package dev.responsecache.servlet;

import dev.responsecache.core.ErrorFallback;
import dev.responsecache.core.Lookup;
import dev.responsecache.spi.FaultLog;

import jakarta.servlet.ServletOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A stale-if-error deadline ({@code staleIfErrorDeadline}) armed for one response, and the race it starts for the
 * container's response between the request's thread and the deadline's timer. Shared by {@link DeadlineResponse}
 * (the servlet filter) and {@link ErrorReplacingResponse} (in front of a JAX-RS runtime), and created only when a
 * deadline is armed, so that a response without one carries none of it. One state, changed under this gate's
 * lock, decides once who writes the container's response: the request's thread (then the timer does nothing) or the
 * timer (then every later use by the request's thread goes nowhere, or into memory). The request's thread waits for
 * the timer's answer to be written before it goes back to the container, so the container's response is never used
 * by two threads at once.
 */
final class DeadlineGate {

    /**
     * Writes the stale answer's status and lines to the container's response and commits them, on the timer's thread:
     * null when it could not and nothing of it reached the client (the container's response reset), so that the
     * request's thread answers as if no deadline had passed; otherwise what writes its body.
     */
    interface StaleWriter {
        StaleBody write(Lookup answer) throws IOException;
    }

    /**
     * The body of a stale answer whose lines are committed: written on a thread of its own once the gate has decided
     * (not the timer's, which other requests' deadlines need), outside its lock, so that the request's thread goes on into memory meanwhile instead of waiting for a slow
     * client to take the whole body (it waits for it only when it is done, before it returns to the container).
     */
    interface StaleBody {
        void write() throws IOException;
    }

    /** A stale answer that has nothing more to write. */
    static final StaleBody NO_BODY = () -> {
    };

    /** Nothing written yet: the timer may still answer. */
    private static final int ARMED = 1;
    /** The request's thread writes the response; the deadline is cancelled. */
    private static final int METHOD = 2;
    /** The timer answered stale; the request's thread writes nowhere (or into memory). */
    private static final int STALE = 3;

    static final FaultLog FAULTS = new FaultLog("response cache (stale answer at a deadline)");

    private final ErrorFallback fallback;
    private final StaleWriter writer;
    private final CountDownLatch staleWritten = new CountDownLatch(1);
    /**
     * Decides the race. A lock, not a monitor: the timer writes and commits the stale answer's lines to the client
     * under it while the request's thread may wait for it, and arming schedules on the shared timer's queue under it;
     * a virtual request thread that blocks entering a monitor, or inside one, pins its carrier thread on Java 21 to
     * 23, one parked on this lock does not.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** Changed under {@link #lock} only; read without it on the request's thread's fast path. */
    private volatile int state = ARMED;
    private Runnable cancel;
    private ServletOutputStream discardingStream;
    private PrintWriter discardingWriter;

    private DeadlineGate(ErrorFallback fallback, StaleWriter writer) {
        this.fallback = fallback;
        this.writer = writer;
    }

    /**
     * Arms {@code fallback}'s deadline; null when nothing is armed (the method has no deadline, or the cache is
     * closing): the request's thread then writes the response as usual.
     */
    static DeadlineGate arm(ErrorFallback fallback, StaleWriter writer) {
        DeadlineGate gate = new DeadlineGate(fallback, writer);
        // The timer cannot decide before the handle that cancels it is kept.
        gate.lock.lock();
        try {
            gate.cancel = fallback.armDeadline(gate::deadlinePassed);
            return gate.cancel == null ? null : gate;
        } finally {
            gate.lock.unlock();
        }
    }

    /** On the timer: answers stale unless the request's thread has used the container's response already. */
    private void deadlinePassed() {
        Lookup answer;
        StaleBody body;
        lock.lock();
        try {
            if (state != ARMED) {
                return;
            }
            answer = fallback.answerAtDeadline();
            if (answer == null) {
                // The entry's window passed while the method ran: its own response goes to the client, taken by the
                // request's thread at its next use (the timer does not fire again).
                return;
            }
            // The lines are written and committed under the lock: a stale answer that cannot be written leaves the
            // response to the request's thread, which must not have gone on into memory meanwhile (it waits here, as
            // it would for the answer). Once they are committed the answer cannot fall back any more: its body is
            // written after the lock, while the request's thread goes on into memory.
            try {
                body = writer.write(answer);
            } catch (IOException | RuntimeException e) {
                FAULTS.failed(e);
                body = NO_BODY;
            }
            if (body == null) {
                fallback.notAnsweredStale();
                return;
            }
            state = STALE;
        } finally {
            lock.unlock();
        }
        if (body == NO_BODY) {
            staleWritten.countDown();
            return;
        }
        StaleBody stale = body;
        fallback.sendBody(() -> {
            try {
                stale.write();
            } catch (IOException | RuntimeException e) {
                // The client went away in the middle of the body: the container ends the response.
                FAULTS.failed(e);
            } finally {
                staleWritten.countDown();
            }
        });
    }

    /** Whether the timer answered the client: the request's thread's response then goes nowhere. */
    boolean answered() {
        return state == STALE;
    }

    /**
     * Called before every use of the container's response by the request's thread: false when the timer answered
     * and the use must go nowhere (or into memory); otherwise true, and from now on no deadline fires.
     *
     * @param takingOver run once, under this gate's lock, when the request's thread takes the response from the
     *                   armed deadline (before the timer could decide again); null for nothing
     */
    boolean requestThreadWrites(Runnable takingOver) {
        int current = state;
        if (current == METHOD) {
            return true;
        }
        if (current == STALE) {
            return false;
        }
        lock.lock();
        try {
            if (state == STALE) {
                return false;
            }
            if (state == ARMED) {
                cancel.run();
                if (takingOver != null) {
                    takingOver.run();
                }
                state = METHOD;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The request's thread is done with the response: true when the timer answered, once that answer is written;
     * otherwise false, and the request's thread has the response ({@link #requestThreadWrites}).
     */
    boolean answeredOnceWritten(Runnable takingOver) {
        if (requestThreadWrites(takingOver)) {
            return false;
        }
        try {
            staleWritten.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Where the request's thread writes its body after the timer answered: nowhere. */
    ServletOutputStream discardingStream() {
        if (discardingStream == null) {
            discardingStream = new DiscardingOutputStream();
        }
        return discardingStream;
    }

    /** {@link #discardingStream()} for a writer. */
    PrintWriter discardingWriter() {
        if (discardingWriter == null) {
            discardingWriter = new PrintWriter(OutputStream.nullOutputStream());
        }
        return discardingWriter;
    }
}
