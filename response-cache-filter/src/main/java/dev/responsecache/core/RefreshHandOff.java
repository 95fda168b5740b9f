package dev.responsecache.core;

import java.util.Objects;

/**
 * A stale-while-revalidate refresh that the JAX-RS adapter hands to the servlet filter in front of its runtime, which
 * runs it once the stale answer is complete: JAX-RS cannot run a resource method after its request is answered, but
 * a servlet filter can run the same request through the chain again. The request attributes below carry the
 * hand-off; each holds for one request only.
 */
public final class RefreshHandOff {

    /** Set by the filter in front: it will run a refresh left under {@link #PENDING} once the response is sent. */
    public static final String RUNNER = "dev.responsecache.refresh-runner";
    /** Set by the adapter that answered stale: this hand-off, to run after the answer. */
    public static final String PENDING = "dev.responsecache.refresh-pending";
    /** Set by the filter while it runs the request again: this hand-off, whose miss the adapter takes as its own. */
    public static final String RUNNING = "dev.responsecache.refresh-running";
    /**
     * Set on the servlet request, by the runner in front of the runtime, once the application read content of a GET
     * over a protocol that need not announce it (HTTP/2): the JAX-RS adapter then stores nothing for it.
     */
    public static final String CONTENT_READ = "dev.responsecache.content-read";

    private final ResponseCache cache;
    private final Lookup refresh;

    public RefreshHandOff(ResponseCache cache, Lookup refresh) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.refresh = Objects.requireNonNull(refresh, "refresh").runAfterAnswer();
    }

    /** The refresh's miss, for the adapter of {@code owner} only (another cache's lookup is no business of it). */
    public Lookup refreshFor(ResponseCache owner) {
        return owner == cache ? refresh : null;
    }

    /**
     * Whether this instance runs the refresh ({@link ResponseCache#beginRefresh}): false when another instance of
     * the cluster refreshes the key, and the refresh has then been ended. Called once the stale answer is complete.
     */
    public boolean begin() {
        return cache.beginRefresh(refresh);
    }

    /** The refresh failed with {@code failure}: reported to the cache's metrics ({@link ResponseCache#refreshFailed}). */
    public void failed(Throwable failure) {
        cache.refreshFailed(refresh, failure);
    }

    /** Ends the refresh's lead on its key; idempotent, and harmless after the refresh stored its response. */
    public void release() {
        cache.endRefresh(refresh);
    }
}
