package dev.responsecache.contract;

import jakarta.servlet.ServletContext;

/**
 * How the endpoints of {@link StaleIfErrorParityContract} answer, set by a test through the servlet context, and
 * the clock the cache reads, which tests move.
 */
public final class Outage {

    /** The context attribute holding the outage. */
    public static final String ATTRIBUTE = "contract.outage";

    /** {@code OK}: the item; {@code ANSWERS_503}: a 503 with a body; {@code ANSWERS_404}: a 404 with a body. */
    public enum Mode { OK, ANSWERS_503, ANSWERS_404 }

    public volatile Mode mode = Mode.OK;
    /** Run by the endpoints before they answer: what changes while a request runs (an eviction). */
    public volatile Runnable whileAnswering = () -> { };
    public final MovableClock clock = new MovableClock();

    public static Outage of(ServletContext context) {
        return (Outage) context.getAttribute(ATTRIBUTE);
    }

    /** Runs {@link #whileAnswering}, then gives the status of the answer now. */
    public int answering() {
        whileAnswering.run();
        return status();
    }

    /** The status of the answer now. */
    public int status() {
        return switch (mode) {
            case OK -> 200;
            case ANSWERS_503 -> 503;
            case ANSWERS_404 -> 404;
        };
    }

    /** The body of the answer now, for item {@code id} on call {@code call}. */
    public String body(String id, int call) {
        return switch (mode) {
            case OK -> "item " + id + " call " + call;
            case ANSWERS_503 -> "backend down";
            case ANSWERS_404 -> "gone";
        };
    }
}
