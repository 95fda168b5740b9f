package dev.responsecache.contract;

import jakarta.servlet.ServletContext;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the {@code /stale/*} endpoints of both adapters do, set by a test through the servlet context: answer, block
 * on a gate, throw an exception no mapper handles, or answer 503; and the clock the cache reads, which tests move.
 */
public final class StaleBehaviour {

    /** The context attribute holding the behaviour. */
    public static final String ATTRIBUTE = "contract.stale-behaviour";

    /**
     * {@code THROW}: an exception nothing maps; {@code FAIL_MAPPED}: JAX-RS throws {@link BackendUnavailable}, which
     * {@link BackendUnavailable.Mapper} makes a 503, and the servlet calls {@code sendError(503)}; {@code ANSWER_503}:
     * a 503 returned (JAX-RS) or set (servlet) with a body.
     */
    public enum Mode { ANSWER, THROW, ANSWER_503, FAIL_MAPPED }

    public volatile Mode mode = Mode.ANSWER;
    /** When set, every call waits on it (and counts {@link #entered} first). */
    public volatile CountDownLatch gate;
    public final CountDownLatch entered = new CountDownLatch(1);
    public final MovableClock clock = new MovableClock();

    public static StaleBehaviour of(ServletContext context) {
        return (StaleBehaviour) context.getAttribute(ATTRIBUTE);
    }

    /** Runs one call of a {@code /stale/*} endpoint: its body, or the failure it is told to have. */
    public String call(String id, int call) {
        CountDownLatch waitFor = gate;
        if (waitFor != null) {
            entered.countDown();
            try {
                if (!waitFor.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (mode == Mode.THROW) {
            throw new IllegalStateException("backend down (no exception mapper)");
        }
        if (mode == Mode.FAIL_MAPPED) {
            throw new BackendUnavailable();
        }
        return "stale " + id + " call " + call;
    }
}
