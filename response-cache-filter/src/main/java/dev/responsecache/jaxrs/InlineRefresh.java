package dev.responsecache.jaxrs;

import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

/**
 * A stale-while-revalidate refresh run inline, as the request's own miss, where no servlet filter in front runs it
 * after the answer (no {@code ServletContainerInitializer} ran, or no servlet container). Handed by
 * {@link CachingFilter} to a runtime that reports an exception no mapper handled (Jersey:
 * {@link JerseyRefreshFailures}, through {@link RuntimeIntegration#watchInlineRefresh}), which counts it as the
 * failed refresh it is, as the runner in front counts one.
 */
final class InlineRefresh {

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
