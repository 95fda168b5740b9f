package dev.responsecache.spi;

/**
 * Thrown by {@link ResponseStore#lookUp} when the store could not be asked (its server unreachable, a circuit breaker
 * keeping calls away): unlike returning null, which says the store holds nothing for the key, this says nothing is
 * known. The request goes uncached and says so ({@code Cache-Status: ...; fwd=bypass; detail=store-unavailable}). The
 * store has reported the fault itself: the cache does not log it again.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message) {
        super(message, null, false, false);
    }
}
