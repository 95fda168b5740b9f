package dev.responsecache.servlet;

import dev.responsecache.spi.FaultLog;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Stale-while-revalidate in the servlet filter: the refresh of a key runs on the thread of the request that was
 * answered stale, after that answer has been sent in full and the response completed. It runs the rest of the filter
 * chain and the servlet again for that very request (its path, query, headers, cookies and user: exactly the context
 * of a miss, and no one else's) into a {@link DetachedResponse}, and stores what it produced under the usual rules.
 * No executor: the container's own request thread does the work, bounded by the container's thread pool, and nothing
 * is left running when the application stops. The client's connection is only held until it is reused for its next
 * request (an HTTP/1.1 client opens another one meanwhile).
 */
final class RefreshAfterResponse {

    private RefreshAfterResponse() {
    }

    /**
     * Completes the stale answer already written to {@code response}, then refreshes {@code refresh}'s key. Never
     * throws: whatever the refresh meets is logged, and the stale entry stays.
     */
    static void run(ResponseCache cache, Lookup refresh, HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain, FaultLog faults, RefreshFailures failures) {
        refresh.runAfterAnswer();
        boolean returned = false;
        CapturingResponse capturing = null;
        try {
            complete(response);
            if (!cache.beginRefresh(refresh)) {
                // Another instance of the cluster refreshes this key.
                return;
            }
            DetachedResponse detached = new DetachedResponse(response, request.getServletContext());
            capturing = new CapturingResponse(request, detached, cache, refresh, faults, PresetHeaders.NONE);
            // The refresh runs with the request's content, which the answer's lookup did not key.
            HttpServletRequest synchronous = new Synchronous(new RefreshForwards(ContentReadingRequest.watch(request,
                    capturing::refuseContent), capturing, capturing::refuse, response));
            capturing.dispatchedWith(synchronous);
            chain.doFilter(synchronous, capturing);
            returned = true;
        } catch (IOException | ServletException | RuntimeException failure) {
            // The client has its answer; a failed refresh keeps the stale entry (stale-if-error does not apply to a
            // request that has been answered) and the next request within the window tries again. The failure is
            // this key's, not the cache's.
            failures.failed(request.getRequestURI(), failure, cause -> cache.refreshFailed(refresh, cause));
        } finally {
            if (capturing == null || !returned || request.isAsyncStarted()) {
                if (capturing != null) {
                    capturing.refuse();
                }
                cache.endRefresh(refresh);
            }
        }
        if (returned && !request.isAsyncStarted()) {
            try {
                capturing.finish();
            } catch (IOException | RuntimeException e) {
                faults.failed(e);
            } finally {
                cache.endRefresh(refresh);
            }
        }
    }

    /**
     * Ends the response, so that the client has all of it before the refresh starts. Closed without a flush first:
     * a container closing an uncommitted response knows the body's length and sends it.
     */
    static void complete(HttpServletResponse response) throws IOException {
        try {
            response.getOutputStream().close();
        } catch (IllegalStateException writerInUse) {
            // A filter in front took the writer: close that instead.
            response.getWriter().close();
        }
    }

    /**
     * The request as the refresh sees it: the same in every respect, except that it cannot go asynchronous (its
     * response is complete already; a servlet that must is refreshed by the next miss instead) and that it carries
     * none of the client's preconditions or ranges: the refresh must fetch the whole representation to store, where
     * the client's {@code If-None-Match} would make the application answer a 304 (or a {@code Range} a 206) that
     * cannot be stored, and the entry would stay stale.
     */
    static final class Synchronous extends WithoutPreconditions {
        Synchronous(HttpServletRequest request) {
            super(request);
        }

        @Override
        public boolean isAsyncSupported() {
            return false;
        }

        @Override
        public AsyncContext startAsync() {
            throw new IllegalStateException("a background refresh cannot go asynchronous");
        }

        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            throw new IllegalStateException("a background refresh cannot go asynchronous");
        }
    }
}
