package dev.responsecache.core;

import java.util.Objects;

/**
 * A hit the JAX-RS adapter gave its runtime to write, left on the request (attribute {@link #ATTRIBUTE}) for the
 * library's filter in front of the runtime, which alone sees whether it was written: a response wrapper between the
 * two that refuses one of its lines fails the runtime's write, and the runtime answers 500, which no JAX-RS filter
 * or interceptor of the cache sees (the runtime writes the lines as it closes the response). Told so
 * ({@link #notWritten}), the cache serves that key's requests uncached for as long as the entry would have answered.
 * Behind such a filter (attribute {@link #CHECKED}), the hit is counted as what the client got once the filter tells
 * ({@link #written}, {@link #notWritten}): a hit, or the bypass it became; behind none, when it is looked up.
 */
public final class RuntimeWrittenHit {

    /** Set on the request by the adapter that answered from the cache through the runtime: this hit. */
    public static final String ATTRIBUTE = "dev.responsecache.runtime-written-hit";

    /**
     * Set on the request by the library's filter in front of the runtime while the runtime runs, and taken off as the
     * filter tells how its hit went: the adapter's hits are then counted when written, not when looked up.
     */
    public static final String CHECKED = "dev.responsecache.runtime-written-hit.checked";

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

    /**
     * The runtime could not write this hit ({@code failure}, or null when only its 500 tells): the key goes uncached
     * for a while, and the hit is counted as the bypass it became.
     */
    public void notWritten(Throwable failure) {
        try {
            cache.hitNotWritten(hit, failure);
        } finally {
            hit.notWritten();
        }
    }

    /** As far as the filter in front can tell, the runtime wrote this hit: counted as one, unless counted already. */
    public void written() {
        hit.written();
    }
}
