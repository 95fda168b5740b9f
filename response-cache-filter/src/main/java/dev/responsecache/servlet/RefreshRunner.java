package dev.responsecache.servlet;

import dev.responsecache.core.EarlyRoutes;
import dev.responsecache.core.RefreshHandOff;
import dev.responsecache.spi.FaultLog;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Runs the stale-while-revalidate refreshes of JAX-RS resource methods: in front of every filter of the web
 * application (added by {@link ResponseCacheInitializer}), it tells the JAX-RS adapter that it is there, and when the
 * adapter answered a GET stale and left a {@link RefreshHandOff}, it completes that answer and runs the very same
 * request through the chain again, on the same thread, into a {@link DetachedResponse}: the application's filters,
 * the runtime and the resource method see exactly what a miss would (path, query, headers, cookies, user), and the
 * adapter stores the response as it stores a miss. Without it (an embedded server that runs no
 * {@code ServletContainerInitializer}), the adapter runs the refresh inline on the request that wins it.
 */
final class RefreshRunner implements Filter {

    /** A Connection line a response wrapper in front refuses: the refresh still runs (see closesAfterAnswer). */
    static final FaultLog CONNECTION_LINE = new FaultLog("response cache (refresh after the answer)");

    static final String NAME = "dev.responsecache.refresh";

    /** A failed refresh is that key's, never the cache's: the stale entry answers, every other key is cached. */
    private final RefreshFailures failures = new RefreshFailures(System::nanoTime);
    /** JAX-RS hits answered here, before the runtime, where nothing could be skipped by it. */
    private final ServletLevelHits early = new ServletLevelHits(System::nanoTime);

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        // What the container knows of the request and every step below asks about, asked once for the whole pass:
        // its dispatch, its method and (for a GET, or a HEAD once a runtime is known safe) the servlet it is mapped
        // to, which on Jetty is a new mapping object per call for a prefix mapping such as /api/*.
        HttpServletRequest http = req instanceof HttpServletRequest r ? r : null;
        String method = http != null && http.getDispatcherType() == DispatcherType.REQUEST ? http.getMethod() : null;
        boolean get = "GET".equals(method);
        boolean getOrHead = get || "HEAD".equals(method);
        String servlet = get || getOrHead && early.knowsSafeRuntime() ? ServletLevelHits.servletName(http) : null;
        boolean straight = servlet != null && early.straightToRuntime(servlet, http.getServletContext());
        if (straight && res instanceof HttpServletResponse answering && early.answered(http, answering)) {
            return;
        }
        ServletRequest passed = getOrHead ? watched(http) : req;
        if (straight) {
            // The runtime is given this very request: its probe takes it instead of resolving its own (HK2's proxy
            // on Jersey resolves the request through the request scope, a few microseconds per miss), and compares
            // the servlet named here with its own instead of asking for the mapping again.
            req.setAttribute(EarlyRoutes.RUNTIME_REQUEST, new EarlyRoutes.HandedRequest(passed, servlet));
        }
        if (!get || !(res instanceof HttpServletResponse response)
                || http.getAttribute(RefreshHandOff.RUNNER) != null) {
            Throwable thrown = null;
            UnwrittenHits.watch(req);
            try {
                chain.doFilter(passed, res);
            } catch (Throwable failure) {
                thrown = failure;
                throw failure;
            } finally {
                if (straight) {
                    req.removeAttribute(EarlyRoutes.RUNTIME_REQUEST);
                }
                UnwrittenHits.check(req, res, thrown);
                // A peek's read (ServletLevelHits) is for the lookup of this pass only, as in the finally below.
                req.removeAttribute(EarlyRoutes.PEEKED_READ);
            }
            return;
        }
        HttpServletRequest request = http;
        request.setAttribute(RefreshHandOff.RUNNER, Boolean.TRUE);
        UnwrittenHits.watch(request);
        boolean returned = false;
        Throwable thrown = null;
        try {
            ErrorReplacingResponse.forward((HttpServletRequest) passed, response, chain);
            returned = true;
            early.learn(request, servlet);
        } catch (Throwable failure) {
            thrown = failure;
            throw failure;
        } finally {
            if (straight) {
                // For this pass only: a refresh below runs the request again through another wrapper.
                request.removeAttribute(EarlyRoutes.RUNTIME_REQUEST);
            }
            // Before a refresh runs the request again: this pass's hit, if any, is judged (and counted) on this pass's
            // response, and the refresh's pass is watched no more.
            UnwrittenHits.check(request, response, thrown);
            try {
                if (request.getAttribute(RefreshHandOff.PENDING) instanceof RefreshHandOff handOff) {
                    request.removeAttribute(RefreshHandOff.PENDING);
                    if (returned && !request.isAsyncStarted()) {
                        refresh(handOff, request, response, chain);
                    } else {
                        handOff.release();
                    }
                }
            } finally {
                // A later dispatch of this request (ASYNC, ERROR) has no runner after it: it must not hand off.
                request.removeAttribute(RefreshHandOff.RUNNER);
                // Nor may its lookup take the read of a peek made for this pass: the entry may be invalidated since.
                request.removeAttribute(EarlyRoutes.PEEKED_READ);
            }
        }
    }

    /**
     * The request watched for content where it may come unannounced (HTTP/2): a resource method can read it past the
     * runtime's entity stream ({@code @Context HttpServletRequest}), which the JAX-RS adapter alone would not see.
     * HTTP/1.x requests go unwrapped. For a GET or HEAD of the REQUEST dispatch only.
     */
    private static HttpServletRequest watched(HttpServletRequest request) {
        return ContentReadingRequest.watch(request,
                () -> request.setAttribute(RefreshHandOff.CONTENT_READ, Boolean.TRUE));
    }

    private void refresh(RefreshHandOff handOff, HttpServletRequest request, HttpServletResponse response,
                         FilterChain chain) {
        try {
            if (!response.isCommitted()) {
                // This thread refreshes once the answer is sent: the client's next request must not queue behind it
                // on this HTTP/1.1 connection. The whole body is still in the container's buffer, so closing the
                // output frames it with a Content-Length (Jetty and Tomcat both do) rather than by the connection's
                // end, which would keep the client waiting for the refresh.
                ResponseCacheFilter.closesAfterAnswer(response, CONNECTION_LINE);
            }
            RefreshAfterResponse.complete(response);
            if (!handOff.begin()) {
                // Another instance of the cluster refreshes this key.
                return;
            }
            request.setAttribute(RefreshHandOff.RUNNING, handOff);
            // The refresh runs with the request's content, which the stale answer's lookup did not key.
            request.removeAttribute(RefreshHandOff.CONTENT_READ);
            // The JAX-RS adapter captures the entity, not this response: a refused forward is the method's failure.
            chain.doFilter(new RefreshAfterResponse.Synchronous(new RefreshForwards(watched(request), null, () -> { },
                    response)), new DetachedResponse(response, request.getServletContext()));
        } catch (IOException | ServletException | RuntimeException failure) {
            // The client has its answer; the stale entry stays, and the next request in the window tries again.
            failures.failed(request.getRequestURI(), failure, handOff::failed);
        } finally {
            request.removeAttribute(RefreshHandOff.RUNNING);
            handOff.release();
        }
    }
}
