package dev.responsecache.core;

/**
 * An eviction the store failed to carry out, remembered for replay ({@link RememberedEvictions}): what
 * {@link FailSafeStore#evict} throws then, around the store's fault, so that the caller can say it will be replayed.
 */
final class EvictionRemembered extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EvictionRemembered(Throwable fault) {
        super(String.valueOf(fault), fault);
    }
}
