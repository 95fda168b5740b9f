package dev.responsecache;

/**
 * An eviction the store could not carry out (unreachable, refusing writes, or unable to evict at all). Entries it did
 * not evict are served at most until their ttl ends (or, instead of an error, their {@code staleIfError} window).
 */
public final class ResponseCacheInvalidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResponseCacheInvalidationException(String message, Throwable cause) {
        super(message, cause);
    }
}
