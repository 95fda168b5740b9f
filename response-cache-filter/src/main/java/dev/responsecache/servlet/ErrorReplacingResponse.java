package dev.responsecache.servlet;

import dev.responsecache.core.ErrorFallback;
import dev.responsecache.core.Lookup;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;

/**
 * Stale-if-error for the errors a JAX-RS runtime answers outside JAX-RS, where no response filter can replace them:
 * an exception no {@code ExceptionMapper} handles reaches the container as a thrown exception (RESTEasy) or as a
 * {@code sendError(500)} followed by the exception (Jersey's servlet {@code ResponseWriter.failure}), even after
 * the adapter replaced the default mapper's 500. Used by {@link RefreshRunner}, in front of every filter: while the
 * chain runs on the request's thread, a 5xx {@code sendError} of a request whose adapter left an
 * {@link ErrorFallback} is kept from the container; when the chain ends in such an error or an exception and nothing
 * is committed, the stale entry answers instead. Otherwise the error goes on as it came.
 */
final class ErrorReplacingResponse extends HttpServletResponseWrapper {

    private final HttpServletRequest request;
    private final Thread chainThread = Thread.currentThread();
    private volatile boolean chainEnded;
    private int deferredStatus;
    private String deferredMessage;

    private ErrorReplacingResponse(HttpServletRequest request, HttpServletResponse response) {
        super(response);
        this.request = request;
    }

    /** Runs the chain, answering stale in place of an error the runtime let through. */
    static void forward(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ErrorReplacingResponse guarded = new ErrorReplacingResponse(request, response);
        try {
            try {
                chain.doFilter(request, guarded);
            } finally {
                guarded.chainEnded = true;
            }
        } catch (IOException | ServletException | RuntimeException failure) {
            if (!guarded.answeredStale(HttpServletResponse.SC_INTERNAL_SERVER_ERROR)) {
                guarded.sendDeferredError();
                throw failure;
            }
            return;
        } finally {
            if (!request.isAsyncStarted()) {
                request.removeAttribute(ErrorFallback.ATTRIBUTE);
            }
        }
        if (guarded.deferredStatus != 0 && !guarded.answeredStale(guarded.deferredStatus)) {
            guarded.sendDeferredError();
        }
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        if (!defers(status)) {
            super.sendError(status, message);
            return;
        }
        deferredStatus = status;
        deferredMessage = message;
    }

    @Override
    public void sendError(int status) throws IOException {
        if (!defers(status)) {
            super.sendError(status);
            return;
        }
        deferredStatus = status;
        deferredMessage = null;
    }

    /** A deferred error page counts as committed, as after a real {@code sendError}: the runtime writes no more. */
    @Override
    public boolean isCommitted() {
        return deferredStatus != 0 || super.isCommitted();
    }

    private boolean defers(int status) {
        return status >= 500 && deferredStatus == 0 && !chainEnded && Thread.currentThread() == chainThread
                && !request.isAsyncStarted() && request.getAttribute(ErrorFallback.ATTRIBUTE) != null
                && !super.isCommitted();
    }

    private boolean answeredStale(int status) throws IOException {
        if (request.isAsyncStarted() || !(request.getAttribute(ErrorFallback.ATTRIBUTE) instanceof ErrorFallback
                fallback)) {
            return false;
        }
        HttpServletResponse container = (HttpServletResponse) getResponse();
        if (container.isCommitted()) {
            return false;
        }
        Lookup answer = fallback.answerFor(status);
        if (answer == null) {
            return false;
        }
        // What the runtime wrote of its error (or of an answer it then failed) is still in the container's buffer.
        container.reset();
        ResponseCacheFilter.replay(answer, container, fallback.statusHeader(), false);
        return true;
    }

    private void sendDeferredError() throws IOException {
        int status = deferredStatus;
        if (status == 0) {
            return;
        }
        deferredStatus = 0;
        HttpServletResponse container = (HttpServletResponse) getResponse();
        if (container.isCommitted()) {
            return;
        }
        if (deferredMessage == null) {
            container.sendError(status);
        } else {
            container.sendError(status, deferredMessage);
        }
    }
}
