package dev.responsecache.jaxrs;

import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /**
     * The method suspended its response ({@code @Suspended AsyncResponse}), to be resumed within {@code timeout} (0 or
     * less: no timeout), or given a new timeout from now: the refresh's end now depends on a resume that may never
     * come, so its claim, which stood for the window, stands no longer than that timeout (the runtime answers the
     * request by then), or {@code coalesce-wait} without one, as the request's own miss would. Past it the next stale
     * answer refreshes again; a refresh with a timeout still unanswered then never ended, and is counted as failed.
     */
    void suspended(long timeout, TimeUnit unit) {
        boolean timed = timeout > 0;
        // At least a nanosecond: a bound of 0 would be none (with coalescing off, a claim never taken over).
        long nanos = Math.max(1, timed ? unit.toNanos(timeout) : cache.settings().coalesceWait().toNanos());
        cache.refreshEndsWithin(refresh, nanos, !timed ? () -> { } : () -> cache.refreshFailed(refresh,
                new TimeoutException("the suspended inline refresh was not resumed within its timeout ("
                        + unit.toMillis(timeout) + " ms)")));
    }
}
