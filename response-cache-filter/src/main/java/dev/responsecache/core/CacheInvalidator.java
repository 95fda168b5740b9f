package dev.responsecache.core;

import dev.responsecache.ResponseCacheInvalidationException;
import dev.responsecache.ResponseCacheInvalidator;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/** The application's {@link ResponseCacheInvalidator}: checks what it is given and asks the store. */
final class CacheInvalidator implements ResponseCacheInvalidator {

    private final FailSafeStore store;

    CacheInvalidator(FailSafeStore store) {
        this.store = store;
    }

    @Override
    public long evictTags(String... tags) {
        Set<String> checked = new LinkedHashSet<>();
        for (String tag : tags) {
            checked.add(Invalidations.userTag(tag));
        }
        return evict(checked);
    }

    @Override
    public long evictPath(String path) {
        return evict(Set.of(Invalidations.pathTag(path)));
    }

    @Override
    public long evictRequest(URI target) {
        return evict(Set.of(Invalidations.requestTag(target)));
    }

    @Override
    public long evictAll() {
        try {
            return store.evict(null);
        } catch (RuntimeException | LinkageError e) {
            throw failed("every entry", e);
        }
    }

    /** Evicts tags and path tags alike. */
    long evict(Set<String> tags) {
        if (tags.isEmpty()) {
            return 0;
        }
        try {
            return store.evict(Set.copyOf(tags));
        } catch (RuntimeException | LinkageError e) {
            throw failed(tags.toString(), e);
        }
    }

    /** The exception of an eviction that failed; it says whether it will be replayed. */
    private static ResponseCacheInvalidationException failed(String evicted, Throwable thrown) {
        boolean remembered = thrown instanceof EvictionRemembered;
        Throwable fault = remembered ? thrown.getCause() : thrown;
        return new ResponseCacheInvalidationException("evicting " + evicted + " failed: " + fault
                + (remembered ? "; remembered and replayed, in order, as soon as the store answers (until then this"
                + " instance serves every request uncached)" : ""), fault, remembered);
    }
}
