package dev.responsecache.spi;

/**
 * Tells an instance that entries of a shared store were evicted, by any instance, so that it drops the copies it
 * keeps in its near tier. A store without one (the default) leaves near copies to expire with their entries.
 */
public interface EvictionFeed {

    /**
     * Registers the one listener, run after every eviction by any instance, and whenever evictions may have been
     * missed (the feed reconnected after a lost connection). Called once, before any request.
     */
    void listen(Runnable onEviction);

    /**
     * Whether evictions are being received now. While false, the near tier keeps no copies: it would not hear of
     * their eviction.
     */
    boolean live();
}
