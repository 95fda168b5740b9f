package dev.responsecache;

/**
 * An eviction the store could not carry out (unreachable, refusing writes, or unable to evict at all). When the store
 * can evict, the eviction is {@link #remembered()}: this instance replays it as soon as the store answers, and serves
 * every request uncached until then. Otherwise the entries it did not evict are served at most until their ttl ends
 * (or, instead of an error, their {@code staleIfError} window).
 */
public final class ResponseCacheInvalidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean remembered;

    public ResponseCacheInvalidationException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** @param remembered whether the eviction will be replayed once the store answers */
    public ResponseCacheInvalidationException(String message, Throwable cause, boolean remembered) {
        super(message, cause);
        this.remembered = remembered;
    }

    /**
     * Whether the eviction is remembered in memory and will be replayed, in order with any other, as soon as the store
     * answers (it is lost if this instance stops first); false when it will not be (the store cannot evict).
     */
    public boolean remembered() {
        return remembered;
    }
}
