package dev.responsecache.servlet;

import dev.responsecache.core.ErrorFallback;
import dev.responsecache.core.Lookup;
import dev.responsecache.spi.FaultLog;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stale-if-error for what a JAX-RS runtime does outside JAX-RS, where no response filter can replace it. Used by
 * {@link RefreshRunner}, in front of every filter, around the chain of a GET; the JAX-RS adapter tells it
 * ({@link ErrorFallback.Guard}) when the request is a miss that a stale entry may answer on error.
 * <ul>
 * <li>Errors: an exception no {@code ExceptionMapper} handles reaches the container as a thrown exception or as a
 * {@code sendError(500)} followed by the exception (Jersey's servlet {@code ResponseWriter.failure}), even after the
 * adapter replaced the default mapper's 500. While the chain runs on the request's thread, a 5xx {@code sendError}
 * is kept from the container; when the chain ends in such an error or an exception and nothing is committed, the
 * stale entry answers instead. Otherwise the error goes on as it came.</li>
 * <li>The method's deadline ({@code staleIfErrorDeadline}): until the runtime first touches the response (the method
 * returns, or writes through an injected response), a timer may answer the client with the stale entry. A
 * {@link DeadlineGate}, created only when the deadline is armed, decides once who writes to the container's
 * response: the request's thread (every later call of the timer is void) or the timer (every later call of the
 * request's thread goes nowhere, while the adapter still stores the method's response).</li>
 * </ul>
 * Only a deadline makes this wrapper discard a use; while none is armed and none can be any more, a hit's lines may go
 * past it into Jetty's fields ({@link #passesEveryUseOn()}).
 */
final class ErrorReplacingResponse extends HttpServletResponseWrapper implements ErrorFallback.Guard {

    private static final FaultLog FAULTS = new FaultLog("response cache (stale answer in place of an error)");

    private final HttpServletRequest request;
    private final Thread chainThread = Thread.currentThread();
    /**
     * Arms the deadline, or marks it unarmable, once. A lock, not a monitor: arming schedules on the shared timer's
     * queue, and a use of the response waits under it for the gate the timer may hold while it writes to the client;
     * a virtual request thread blocked entering a monitor, or inside one, pins its carrier thread on Java 21 to 23.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** The method's armed deadline, or null: none armed (yet). Set under {@link #lock}. */
    private volatile DeadlineGate deadline;
    /** The request's thread used the response before any deadline was armed: none is armed any more. */
    private volatile boolean unarmable;
    private volatile boolean chainEnded;
    /** The fallback whose deadline is armed, told of every use that goes nowhere after its stale answer. */
    private volatile ErrorFallback watched;
    private int deferredStatus;
    private String deferredMessage;

    private ErrorReplacingResponse(HttpServletRequest request, HttpServletResponse response) {
        super(response);
        this.request = request;
    }

    /** Runs the chain, answering stale in place of an error the runtime let through or a missed deadline. */
    static void forward(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ErrorReplacingResponse guarded = new ErrorReplacingResponse(request, response);
        // The attribute is the runner's mark (RefreshRunner's), put back once the chain ends.
        Object mark = request.getAttribute(ErrorFallback.GUARD);
        request.setAttribute(ErrorFallback.GUARD, guarded);
        // The fallback stays until both paths below have used it: a 5xx sent on a normal return (an injected
        // response's sendError, a filter that swallowed the exception) is answered stale as a thrown one is.
        try {
            try {
                try {
                    chain.doFilter(request, guarded);
                } finally {
                    guarded.chainEnded = true;
                    request.setAttribute(ErrorFallback.GUARD, mark);
                }
            } catch (IOException | ServletException | RuntimeException failure) {
                if (guarded.answeredAtDeadline()) {
                    // The client has its answer; the failure is the method's, after its deadline.
                    return;
                }
                if (!guarded.answeredStale(HttpServletResponse.SC_INTERNAL_SERVER_ERROR)) {
                    guarded.sendDeferredError();
                    throw failure;
                }
                return;
            }
            if (guarded.answeredAtDeadline()) {
                return;
            }
            if (guarded.deferredStatus != 0 && !guarded.answeredStale(guarded.deferredStatus)) {
                guarded.sendDeferredError();
            }
        } finally {
            if (!request.isAsyncStarted()) {
                request.removeAttribute(ErrorFallback.ATTRIBUTE);
            }
        }
    }

    @Override
    public void watch(ErrorFallback fallback) {
        if (chainEnded || Thread.currentThread() != chainThread || deadline != null || unarmable) {
            return;
        }
        lock.lock();
        try {
            if (deadline == null && !unarmable) {
                watched = fallback;
                deadline = DeadlineGate.arm(fallback, answer -> answerAtDeadline(answer, fallback));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Before the runtime writes a stale answer this thread refreshes after (see the interface). */
    @Override
    public void closesAfterAnswer() {
        ResponseCacheFilter.closesAfterAnswer((HttpServletResponse) getResponse(), RefreshRunner.CONNECTION_LINE);
    }

    /** On the deadline timer, once it won the response: the stale answer. */
    private DeadlineGate.StaleBody answerAtDeadline(Lookup answer, ErrorFallback fallback) throws IOException {
        HttpServletResponse container = (HttpServletResponse) getResponse();
        // The request's thread is still in the method: the client must not send its next request on this
        // connection, which stays busy until the method returns.
        ResponseCacheFilter.closesAfterAnswer(container, DeadlineGate.FAULTS);
        return ResponseCacheFilter.staleLinesCommitted(answer, container, fallback.statusHeader(), false);
    }

    /**
     * Whether the deadline answered: then the request's thread waits for that answer to be written before it
     * returns to the container. Otherwise no deadline fires any more.
     */
    private boolean answeredAtDeadline() {
        return writesNowhere() && deadline.answeredOnceWritten(null);
    }

    /**
     * Called before every use of the container's response by the request's thread: true when the deadline answered
     * and the call must go nowhere; otherwise the request's thread writes from now on and no deadline fires.
     */
    private boolean writesNowhere() {
        DeadlineGate armed = deadline;
        if (armed != null) {
            return nowhere(armed);
        }
        if (unarmable) {
            return false;
        }
        lock.lock();
        try {
            armed = deadline;
            if (armed != null) {
                return nowhere(armed);
            }
            unarmable = true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a use goes nowhere; the JAX-RS adapter then stores nothing (it cannot see what was discarded). */
    private boolean nowhere(DeadlineGate armed) {
        if (armed.requestThreadWrites(null)) {
            return false;
        }
        ErrorFallback fallback = watched;
        if (fallback != null) {
            fallback.discardedWrite();
        }
        return true;
    }

    /**
     * Whether every use of the container's response from now on is one this wrapper passes on as it is, so that it may
     * be written past it (a hit's lines straight into Jetty's fields, {@link JettyResponses#fieldsOf}): true only when
     * no deadline is armed, and then none ever is. A deadline is armed on the request's thread alone ({@link #watch}),
     * under this wrapper's lock, and its timer exists only once it is armed: marked unarmable under the same lock, the
     * response can no longer become the timer's, whichever thread asks and whatever the timer of another request
     * does meanwhile. An armed deadline, in any state (waiting, taken over by the request's thread, answered by the
     * timer), keeps every use going through this wrapper: false.
     */
    boolean passesEveryUseOn() {
        if (deadline != null) {
            return false;
        }
        if (unarmable) {
            return true;
        }
        lock.lock();
        try {
            if (deadline != null) {
                return false;
            }
            unarmable = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #writesNowhere()} for a call that only sets a header: before a deadline is armed it leaves the state
     * open, since no timer can write yet; a filter in front of the runtime (CORS, security headers) then keeps the
     * deadline the runtime arms later. Its header stays under a stale answer, as under the method's.
     */
    private boolean headerGoesNowhere() {
        if (deadline == null && !unarmable && Thread.currentThread() == chainThread) {
            return false;
        }
        return writesNowhere();
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        if (writesNowhere()) {
            return;
        }
        if (!defers(status)) {
            super.sendError(status, message);
            return;
        }
        deferredStatus = status;
        deferredMessage = message;
    }

    @Override
    public void sendError(int status) throws IOException {
        if (writesNowhere()) {
            return;
        }
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
        DeadlineGate armed = deadline;
        return deferredStatus != 0 || armed != null && armed.answered() || super.isCommitted();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (!writesNowhere()) {
            return super.getOutputStream();
        }
        return deadline.discardingStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (!writesNowhere()) {
            return super.getWriter();
        }
        return deadline.discardingWriter();
    }

    @Override
    public void setStatus(int status) {
        if (!writesNowhere()) {
            super.setStatus(status);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (!headerGoesNowhere()) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!headerGoesNowhere()) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!headerGoesNowhere()) {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (!headerGoesNowhere()) {
            super.addIntHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (!headerGoesNowhere()) {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (!headerGoesNowhere()) {
            super.addDateHeader(name, date);
        }
    }

    @Override
    public void addCookie(Cookie cookie) {
        if (!headerGoesNowhere()) {
            super.addCookie(cookie);
        }
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        if (!writesNowhere()) {
            super.sendRedirect(location);
        }
    }

    @Override
    public void setContentType(String type) {
        if (!headerGoesNowhere()) {
            super.setContentType(type);
        }
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (!headerGoesNowhere()) {
            super.setCharacterEncoding(charset);
        }
    }

    @Override
    public void setContentLength(int length) {
        if (!writesNowhere()) {
            super.setContentLength(length);
        }
    }

    @Override
    public void setContentLengthLong(long length) {
        if (!writesNowhere()) {
            super.setContentLengthLong(length);
        }
    }

    @Override
    public void setLocale(Locale locale) {
        if (!headerGoesNowhere()) {
            super.setLocale(locale);
        }
    }

    @Override
    public void setBufferSize(int size) {
        if (!writesNowhere()) {
            super.setBufferSize(size);
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        if (!writesNowhere()) {
            super.flushBuffer();
        }
    }

    @Override
    public void reset() {
        if (!writesNowhere()) {
            super.reset();
        }
    }

    @Override
    public void resetBuffer() {
        if (!writesNowhere()) {
            super.resetBuffer();
        }
    }

    private boolean defers(int status) {
        return status >= 500 && deferredStatus == 0 && !chainEnded && Thread.currentThread() == chainThread
                && !request.isAsyncStarted() && request.getAttribute(ErrorFallback.ATTRIBUTE) != null
                && !super.isCommitted();
    }

    private boolean answeredStale(int status) throws IOException {
        if (request.isAsyncStarted() || !(request.getAttribute(ErrorFallback.ATTRIBUTE) instanceof ErrorFallback
                given)) {
            return false;
        }
        HttpServletResponse container = (HttpServletResponse) getResponse();
        if (container.isCommitted()) {
            return false;
        }
        Lookup answer = given.answerFor(status);
        if (answer == null) {
            return false;
        }
        // Its error goes on if the stale answer cannot be written: the status and lines it set, for sendError.
        ApplicationAnswer own = ApplicationAnswer.of(container, null);
        // What the runtime wrote of its error (or of an answer it then failed) is still in the container's buffer.
        container.reset();
        if (ResponseCacheFilter.hitReplayed(answer, container, given.statusHeader(), false, FAULTS)) {
            return true;
        }
        // A line the container or a wrapper in front refuses: the runtime's error goes on as it came.
        own.sendTo(container);
        return false;
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
