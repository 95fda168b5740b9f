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

    private final ResponseCache cache;
    private final Lookup miss;
    private volatile Lookup answer;

    public ErrorFallback(ResponseCache cache, Lookup miss) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.miss = Objects.requireNonNull(miss, "miss");
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
        given = cache.staleOnError(miss, status);
        if (given == null) {
            cache.release(miss);
        }
        answer = given;
        return given;
    }
}
