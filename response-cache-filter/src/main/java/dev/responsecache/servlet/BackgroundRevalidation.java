package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.spi.FaultLog;
import dev.responsecache.spi.Header;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background refresh of the header-driven mode (the response's {@code stale-while-revalidate}, RFC 5861 3), run
 * as {@link RefreshAfterResponse} runs the ttl mode's: on the thread of the request answered stale, once that answer
 * is complete, through the rest of the chain into a {@link DetachedResponse}. Two differences: when the entry has a
 * validator the refresh is a conditional request ({@code If-None-Match}/{@code If-Modified-Since}, as a shared cache
 * revalidates: RFC 9111 4.3.1), whose 304 refreshes the stored headers and keeps the stored body
 * ({@link ResponseCache#revalidated}); and the servlet may go asynchronous (a proxy servlet always does), the refresh
 * then ending when its asynchronous context completes.
 */
final class BackgroundRevalidation {

    private static final Logger LOG = LoggerFactory.getLogger("dev.responsecache");

    private BackgroundRevalidation() {
    }

    /**
     * Completes the stale answer already written to {@code response}, then refreshes {@code refresh}'s key. Never
     * throws: whatever the refresh meets is logged, and the stale entry stays.
     */
    static void run(ResponseCache cache, Lookup refresh, HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain, FaultLog faults, RefreshFailures failures) {
        refresh.runAfterAnswer();
        boolean ended = true;
        CapturingResponse capturing = null;
        try {
            RefreshAfterResponse.complete(response);
            if (!cache.beginRefresh(refresh)) {
                // Another instance of the cluster refreshes this key; beginRefresh ended this one.
                ended = false;
                return;
            }
            DetachedResponse detached = new DetachedResponse(response, request.getServletContext());
            capturing = new CapturingResponse(request, detached, cache, refresh, faults, PresetHeaders.NONE);
            CapturingResponse captured = capturing;
            AsyncAwareRequest wrapped = new AsyncAwareRequest(new RefreshForwards(new WithoutPreconditions(
                    // The refresh runs with the request's content, which the answer's lookup did not key.
                    ContentReadingRequest.watch(request, capturing::refuseContent)), null, capturing::refuse, response),
                    capturing);
            List<Header> conditions = refresh.refreshConditionalHeaders();
            NotModifiedResponse notModified = conditions.isEmpty() ? null : new NotModifiedResponse(capturing);
            HttpServletRequest forwarded = notModified == null ? wrapped : new ConditionalRequest(wrapped, conditions,
                    cache.settings().clock(),
                    () -> revalidated(cache, refresh, notModified, request, captured));
            capturing.dispatchedWith(forwarded);
            chain.doFilter(forwarded, notModified == null ? capturing : notModified);
            if (wrapped.handedOver()) {
                // The asynchronous context stores (or revalidates) when it completes; the key stays claimed until then,
                // or until its timeout if no end is ever reported (Jetty reports none for a dispatch that throws).
                AsyncContext async = request.getAsyncContext();
                EndRefresh end = new EndRefresh(cache, refresh, request.getRequestURI(), failures, new AtomicBoolean(),
                        new AtomicBoolean(), new AtomicLong());
                async.addListener(end);
                // Jetty tells no listener of a dispatch that throws once the response is complete, but its request
                // reports the end of its whole cycle, with that failure: the refresh ends then, and is counted.
                JettyCompletion.listen(request, end::cycleOver);
                end.awaitedFor(async, false);
                ended = false;
                return;
            }
            if (notModified != null && revalidated(cache, refresh, notModified, request, capturing)) {
                return;
            }
            if (request.isAsyncStarted()) {
                // Asynchronous without going through the wrapper: the body may bypass the capture.
                capturing.refuse();
                return;
            }
            capturing.finish();
        } catch (IOException | ServletException | RuntimeException failure) {
            // The client has its answer; a failed refresh keeps the stale entry, and the next request within the
            // window tries again. The failure is this key's, not the cache's.
            failures.failed(request.getRequestURI(), failure, cause -> cache.refreshFailed(refresh, cause));
            if (capturing != null) {
                capturing.refuse();
            }
        } finally {
            if (ended) {
                cache.endRefresh(refresh);
            }
        }
    }

    /** The origin answered the refresh's conditions with 304: the stored entry is refreshed with its headers. */
    private static boolean revalidated(ResponseCache cache, Lookup refresh, NotModifiedResponse notModified,
                                       HttpServletRequest request, CapturingResponse capturing) {
        if (!notModified.notModified()) {
            return false;
        }
        capturing.refuse();
        refresh.addTags(request.getAttribute(ResponseCacheInvalidator.RESPONSE_TAGS));
        cache.revalidated(refresh, notModified.headers());
        return true;
    }

    /**
     * Ends an asynchronous refresh however its context ends, after the capture's own listener stored it. A timeout or
     * an error is the refresh's failure, as an exception of a synchronous one is: logged and counted once (a container
     * may report a timeout and then the error it completes it with). A cycle whose end is never reported (Jetty
     * reports nothing once an asynchronous dispatch of a completed response throws) holds the key no longer than its
     * asynchronous timeout: the claim then lapses, the next stale answer refreshes again, and the lapse is this
     * refresh's failure, counted once with the others.
     */
    private record EndRefresh(ResponseCache cache, Lookup refresh, String path, RefreshFailures failures,
                              AtomicBoolean failed, AtomicBoolean heard, AtomicLong longestTimeout)
            implements AsyncListener {

        @Override
        public void onComplete(AsyncEvent event) {
            heard.set(true);
            cache.endRefresh(refresh);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            heard.set(true);
            failed(new TimeoutException("the asynchronous refresh did not complete within "
                    + event.getAsyncContext().getTimeout() + " ms"));
            cache.endRefresh(refresh);
        }

        @Override
        public void onError(AsyncEvent event) {
            heard.set(true);
            Throwable error = event.getThrowable();
            failed(error != null ? thrown(error) : new IOException("the asynchronous refresh ended in an error"));
            cache.endRefresh(refresh);
        }

        /**
         * The container says the request's whole cycle is over (with a failure, or null): after the listeners' events,
         * when there were any, and then nothing is left to do (a failure of the connection after the refresh completed
         * is not the refresh's). A cycle over without any event never completed: Jetty ends so the request of a
         * complete response whose asynchronous dispatch threw, telling no listener, and reports no failure (it logs
         * what was thrown). That refresh failed: counted once ({@code ExecutionException}, what was thrown unknown
         * here, or the failure reported), and ended now rather than when its claim lapses. Never throws: it runs on
         * the container's completion.
         */
        void cycleOver(Throwable failure) {
            try {
                if (heard.get()) {
                    return;
                }
                failed(failure != null ? thrown(failure) : new ExecutionException("the asynchronous dispatch of the"
                        + " refresh failed: its request ended without an event (the container logs what it threw)",
                        null));
                cache.endRefresh(refresh);
            } catch (RuntimeException e) {
                LOG.warn("ending the asynchronous refresh of {} failed", path, e);
            }
        }

        /**
         * What the application threw, past the container's wrappers: Tomcat reports the exception of an asynchronous
         * dispatch in a plain {@code RuntimeException} inside a {@code ServletException}.
         */
        private static Throwable thrown(Throwable error) {
            Throwable cause = RefreshFailures.unwrapped(error);
            return cause.getClass() == RuntimeException.class && cause.getCause() != null
                    ? RefreshFailures.unwrapped(cause.getCause()) : cause;
        }

        private void failed(Throwable failure) {
            if (failed.compareAndSet(false, true)) {
                failures.failed(path, failure, cause -> cache.refreshFailed(refresh, cause));
            }
        }

        /**
         * The container must end a cycle (complete it, or report its timeout) within its asynchronous timeout: past
         * that, no end will be reported, and the claim lapses. No timeout (0 or less, Jetty's {@code ProxyServlet}'s):
         * the claim's own bound, the end of the entry's stale-while-revalidate window.
         *
         * @param startedNow true for a later cycle, heard of as it starts: its servlet may still give it a longer
         *                   timeout, so the timeout is read again before the claim lapses (a cycle that ended by then
         *                   leaves what was read of it, or Jetty's default, which it reads once it recycled the
         *                   cycle); false for the first, read once its dispatch returned, when it can change no more
         */
        void awaitedFor(AsyncContext cycle, boolean startedNow) {
            long first = longestTimeout(cycle);
            LongSupplier timeout = startedNow ? () -> nanos(longestTimeout(cycle)) : () -> nanos(longestTimeout.get());
            cache.refreshEndsWithin(refresh, first == Long.MAX_VALUE ? () -> Long.MAX_VALUE : timeout, () -> {
                long timeoutMillis = longestTimeout.get();
                if (timeoutMillis != Long.MAX_VALUE) {
                    failed(new TimeoutException("no end of the asynchronous refresh was reported within its"
                            + " asynchronous timeout (" + timeoutMillis + " ms)"));
                }
            });
            if (LOG.isDebugEnabled()) {
                // From now on the ticker: a key held past its stale answer says, with this line, how long it may be.
                LOG.debug("{}: the asynchronous refresh holds its key until its cycle ends, at most {}", path,
                        first == Long.MAX_VALUE ? "to the end of its window (the cycle has no timeout)"
                                : first + " ms from now (the cycle's timeout)");
            }
        }

        private static long nanos(long timeoutMillis) {
            return timeoutMillis == Long.MAX_VALUE ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        }

        /**
         * The longest timeout a cycle of this refresh was given (Long.MAX_VALUE: none), so that a cycle the servlet
         * gave the same timeout as an earlier one is not cut short.
         */
        private long longestTimeout(AsyncContext cycle) {
            long cycleTimeoutMillis;
            try {
                cycleTimeoutMillis = cycle.getTimeout();
            } catch (RuntimeException ended) {
                return longestTimeout.get();
            }
            return longestTimeout.accumulateAndGet(cycleTimeoutMillis > 0 ? cycleTimeoutMillis : Long.MAX_VALUE,
                    Math::max);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // A new cycle: listened to again, and awaited for its own timeout.
            AsyncContext async = event.getAsyncContext();
            async.addListener(this);
            awaitedFor(async, true);
        }
    }
}
