package dev.responsecache.jaxrs;

import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

/**
 * A stale-while-revalidate refresh run inline, as the request's own miss, where no servlet filter in front runs it
 * after the answer (no {@code ServletContainerInitializer} ran, or no servlet container). Left under {@link #PROPERTY}
 * by {@link CachingFilter}, so that a runtime that reports an exception no mapper handled (Jersey:
 * {@link JerseyRefreshFailures}) counts it as the failed refresh it is, as the runner in front counts one.
 */
final class InlineRefresh {

    /** Request property holding the request's inline refresh. */
    static final String PROPERTY = "dev.responsecache.inline-refresh";

    private final ResponseCache cache;
    private final Lookup refresh;

    InlineRefresh(ResponseCache cache, Lookup refresh) {
        this.cache = cache;
        this.refresh = refresh;
    }

    /**
     * The method failed with {@code failure}, which the runtime passes to its container: counted in
     * {@code responsecache.refresh.failures}, and the key's refresh claim ended, so that the next stale answer may
     * try again (the runtime and the container log the failure of the client's own request themselves).
     */
    void failed(Throwable failure) {
        cache.refreshFailed(refresh, failure);
        cache.endRefresh(refresh);
    }
}
