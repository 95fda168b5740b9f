package dev.responsecache.servlet;

import dev.responsecache.core.RuntimeWrittenHit;
import dev.responsecache.spi.FaultLog;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Tells the cache of a JAX-RS hit that its runtime could not write ({@link RuntimeWrittenHit}), as a filter in front
 * of the runtime sees it once the request comes back: a response wrapper between the two refused one of the hit's
 * lines. The runtime has answered 500 by then, and is never asked twice; the cache serves the key's next requests
 * uncached.
 */
final class UnwrittenHits {

    private static final FaultLog FAULTS = new FaultLog("response cache (hits written by the JAX-RS runtime)");

    private UnwrittenHits() {
    }

    /** After the chain returned (or threw {@code thrown}, else null) with {@code request} and {@code response}. */
    static void check(ServletRequest request, ServletResponse response, Throwable thrown) {
        try {
            if (!(request.getAttribute(RuntimeWrittenHit.ATTRIBUTE) instanceof RuntimeWrittenHit hit)) {
                return;
            }
            request.removeAttribute(RuntimeWrittenHit.ATTRIBUTE);
            if (request.isAsyncStarted() || !(response instanceof HttpServletResponse http)) {
                return;
            }
            if (hit.failed(thrown != null, http.isCommitted(), http.getStatus())) {
                hit.notWritten(thrown);
            }
        } catch (RuntimeException unreadable) {
            FAULTS.failed(unreadable);
        }
    }
}
