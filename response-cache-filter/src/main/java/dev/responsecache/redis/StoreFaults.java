package dev.responsecache.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's own faults by kind, which it turns into misses and so never reach the cache as failures. One atomic
 * increment on the fault path; read when a metrics backend scrapes. Every kind is present from the start, at zero, so
 * that a binding registers them all at once.
 */
final class StoreFaults {

    static final String TIMEOUT = "timeout";
    static final String CONNECTION = "connection";
    static final String ERROR_REPLY = "error-reply";
    static final String UNUSABLE_VALUE = "unusable-value";
    /** Not a fault of Redis (every pooled connection was busy), counted apart so that it is not taken for one. */
    static final String POOL_BUSY = "pool-busy";

    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong errorReplies = new AtomicLong();
    private final AtomicLong unusableValues = new AtomicLong();
    private final AtomicLong poolBusy = new AtomicLong();

    void timeout() {
        timeouts.incrementAndGet();
    }

    void connection() {
        connections.incrementAndGet();
    }

    void errorReply() {
        errorReplies.incrementAndGet();
    }

    void unusableValue() {
        unusableValues.incrementAndGet();
    }

    void poolBusy() {
        poolBusy.incrementAndGet();
    }

    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(TIMEOUT, timeouts.get());
        counts.put(CONNECTION, connections.get());
        counts.put(ERROR_REPLY, errorReplies.get());
        counts.put(UNUSABLE_VALUE, unusableValues.get());
        counts.put(POOL_BUSY, poolBusy.get());
        return counts;
    }
}
