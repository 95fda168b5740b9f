package dev.responsecache.core;

import java.util.Objects;

/**
 * Stale-if-error for an error the JAX-RS runtime answers outside JAX-RS: an exception no {@code ExceptionMapper}
 * handles may reach the servlet container (as a thrown exception or a {@code sendError(500)}) after, or instead of,
 * the response filters that replace a 5xx. The JAX-RS adapter leaves this under {@link #ATTRIBUTE} on a miss that
 * carries a stale entry usable on error; the servlet filter in front of the runtime asks it for the answer to send
 * instead. Holds for one request only.
 */
public final class ErrorFallback {

    /** Request attribute (JAX-RS property) holding this request's fallback. */
    public static final String ATTRIBUTE = "dev.responsecache.error-fallback";
    /**
     * Request attribute holding the {@link Guard} of the servlet filter in front, when there is one. The filter that
     * guards is the one that runs refreshes, so its guard takes the place of its {@link RefreshHandOff#RUNNER} mark
     * while its chain runs: one attribute per request rather than two.
     */
    public static final String GUARD = RefreshHandOff.RUNNER;
    /** The {@code fwd-status} of an answer given because the method passed its deadline. */
    public static final int DEADLINE_STATUS = 504;

    /** The servlet filter in front of the runtime, told of the fallback as soon as the adapter has one. */
    public interface Guard {
        void watch(ErrorFallback fallback);

        /**
         * The runtime's answer to this request is followed by a refresh on the request's thread: the filter in front
         * asks the client to send its next request on another connection, on the servlet response, before the
         * runtime writes the answer. The line is advice: one the container or a response wrapper in front refuses is
         * left out (logged), where set by the runtime among the answer's lines it failed the whole answer.
         */
        default void closesAfterAnswer() {
        }
    }

    private final ResponseCache cache;
    private final Lookup miss;
    private final long deadlineMillis;
    private volatile Lookup answer;
    /** The request's thread used the servlet response after the stale answer, where its use went nowhere. */
    private volatile boolean discardedWrites;

    public ErrorFallback(ResponseCache cache, Lookup miss) {
        this(cache, miss, 0);
    }

    /** @param deadlineSeconds the method's {@code staleIfErrorDeadline}: -1 for the configured default, 0 for none */
    public ErrorFallback(ResponseCache cache, Lookup miss, long deadlineSeconds) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.miss = Objects.requireNonNull(miss, "miss");
        this.deadlineMillis = cache.deadlines().millis(deadlineSeconds);
    }

    /** A declared {@code staleIfErrorDeadline}, checked at start-up: -1, 0, or up to a day. */
    public static long checkedDeadline(String owner, long seconds) {
        return StaleDeadlines.checked(owner, seconds);
    }

    /** Whether the method has a deadline at all. */
    public boolean hasDeadline() {
        return deadlineMillis > 0;
    }

    /**
     * Runs {@code onDeadline} on the cache's deadline timer when the method's deadline passes; the returned handle
     * cancels it. Null when the method has no deadline or the cache is closing: nothing is armed.
     */
    public Runnable armDeadline(Runnable onDeadline) {
        return deadlineMillis <= 0 ? null : cache.deadlines().schedule(onDeadline, deadlineMillis);
    }

    /**
     * The stale answer to send because the method passed its deadline, or null when the entry's window has passed
     * meanwhile (then the method's response goes to the client, as usual). Unlike an error, the method still runs
     * and its response may still be stored.
     */
    public Lookup answerAtDeadline() {
        Lookup given = cache.staleOnErrorCountedWhenWritten(miss, DEADLINE_STATUS);
        if (given != null) {
            // Logged, once written, as the deadline it is: the method has not answered at all, let alone 504.
            answer = given.atDeadline(deadlineMillis);
        }
        return given;
    }

    /** The fallback in a request property or attribute holding one, else null. */
    public static ErrorFallback of(Object property) {
        return property instanceof ErrorFallback fallback ? fallback : null;
    }

    /**
     * Writes the body of the stale answer given at the deadline ({@code body}, which never throws) on a thread of its
     * own, so that a slow client holds back no other request's deadline.
     */
    public void sendBody(Runnable body) {
        cache.deadlines().sendBody(body);
    }

    /** The stale answer at the deadline could not be written: the method's response goes to the client after all. */
    public void notAnsweredStale() {
        answer = null;
    }

    /** Whether the client got a stale answer in place of the method's response (at the deadline, or for an error). */
    public boolean answeredStale() {
        return answer != null;
    }

    /**
     * The servlet filter in front: after the stale answer, the request's thread set something on the servlet response
     * itself (a header, a cookie, a status, a body), which went nowhere: the JAX-RS response alone is not what the
     * method produced, so it is not stored.
     */
    public void discardedWrite() {
        discardedWrites = true;
    }

    /** Whether {@link #discardedWrite()} was called. */
    public boolean discardedWrites() {
        return discardedWrites;
    }

    /** The header that says HIT, MISS or STALE, for replaying the answer. */
    public String statusHeader() {
        return cache.settings().statusHeader();
    }

    /** The adapter replaced the method's 5xx with {@code staleAnswer} already (the runtime may still fail it). */
    public void answered(Lookup staleAnswer) {
        answer = staleAnswer;
    }

    /**
     * The stale answer to send in place of an error {@code status} (a 5xx, or 500 for an exception) that the
     * runtime let through, or null when the error goes to the client. Releases requests coalesced on the key either
     * way, since nothing is stored for a failed response. Never throws.
     */
    public Lookup answerFor(int status) {
        Lookup given = answer;
        if (given != null || status < 500) {
            return given;
        }
        given = cache.staleOnErrorCountedWhenWritten(miss, status);
        if (given == null) {
            cache.release(miss);
        }
        answer = given;
        return given;
    }
}
