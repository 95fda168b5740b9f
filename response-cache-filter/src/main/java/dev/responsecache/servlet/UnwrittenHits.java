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

    /**
     * Before the chain runs {@code request} into the runtime: the hits the runtime writes in this pass are counted
     * once {@link #check} tells how they went.
     */
    static void watch(ServletRequest request) {
        request.setAttribute(RuntimeWrittenHit.CHECKED, Boolean.TRUE);
    }

    /**
     * After the chain returned (or threw {@code thrown}, else null) with {@code request} and {@code response}: a hit
     * the runtime wrote is counted as one, a hit it could not write as the bypass it became (and its key goes
     * uncached). Counts the hit whatever happens here.
     */
    static void check(ServletRequest request, ServletResponse response, Throwable thrown) {
        RuntimeWrittenHit hit = null;
        try {
            request.removeAttribute(RuntimeWrittenHit.CHECKED);
            if (!(request.getAttribute(RuntimeWrittenHit.ATTRIBUTE) instanceof RuntimeWrittenHit left)) {
                return;
            }
            hit = left;
            request.removeAttribute(RuntimeWrittenHit.ATTRIBUTE);
            if (!request.isAsyncStarted() && response instanceof HttpServletResponse http
                    && hit.failed(thrown != null, http.isCommitted(), http.getStatus())) {
                hit.notWritten(thrown);
            }
        } catch (RuntimeException unreadable) {
            FAULTS.failed(unreadable);
        } finally {
            if (hit != null) {
                // Not told otherwise (a client that hung up fails the write after the commit): the client got it.
                hit.written();
            }
        }
    }
}
