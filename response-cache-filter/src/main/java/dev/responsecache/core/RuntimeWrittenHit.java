package dev.responsecache.core;

import java.util.Objects;

/**
 * A hit the JAX-RS adapter gave its runtime to write, left on the request (attribute {@link #ATTRIBUTE}) for the
 * library's filter in front of the runtime, which alone sees whether it was written: a response wrapper between the
 * two that refuses one of its lines fails the runtime's write, and the runtime answers 500, which no JAX-RS filter
 * or interceptor of the cache sees (the runtime writes the lines as it closes the response). Told so
 * ({@link #notWritten}), the cache serves that key's requests uncached for as long as the entry would have answered.
 */
public final class RuntimeWrittenHit {

    /** Set on the request by the adapter that answered from the cache through the runtime: this hit. */
    public static final String ATTRIBUTE = "dev.responsecache.runtime-written-hit";

    private final ResponseCache cache;
    private final Lookup hit;

    public RuntimeWrittenHit(ResponseCache cache, Lookup hit) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.hit = Objects.requireNonNull(hit, "hit");
    }

    /**
     * Whether the response as the request left the runtime shows that this hit was not written: it threw before
     * anything was committed (a client that hangs up fails a write only after the commit), or its status became the
     * runtime's 500 where the hit had another.
     */
    public boolean failed(boolean threw, boolean committed, int status) {
        return threw && !committed || status == 500 && hit.status() != 500;
    }

    /** The runtime could not write this hit ({@code failure}, or null when only its 500 tells). */
    public void notWritten(Throwable failure) {
        cache.hitNotWritten(hit, failure);
    }
}
