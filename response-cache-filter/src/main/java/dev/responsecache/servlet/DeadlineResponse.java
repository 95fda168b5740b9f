package dev.responsecache.servlet;

import dev.responsecache.core.ErrorFallback;
import dev.responsecache.core.Lookup;
import dev.responsecache.spi.FaultLog;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The servlet filter's stale-if-error deadline ({@code staleIfErrorDeadline}): the response of a miss that a stale
 * entry may answer on error, below the capture, keeping the status and headers the servlet sets in memory (a
 * {@link DetachedResponse} that starts as a copy of the container's) while the deadline is armed. The servlet's first
 * need of the container itself (its output stream or writer, a flush, a redirect, a cookie, a locale, a buffer
 * size), or its return, copies them to the container and disarms the deadline; a deadline that passes first answers
 * the client with the stale entry, and the servlet goes on into memory (its body is still copied by the capture and
 * stored). One state, changed under this object's lock, decides once which thread writes the container's response;
 * the request's thread waits for the timer's answer to be written before it goes back to the container.
 */
final class DeadlineResponse extends HttpServletResponseWrapper {

    /** Writes the stale answer to the container's response, on the timer's thread. */
    interface StaleWriter {
        void write(Lookup answer, HttpServletResponse container) throws IOException;
    }

    private enum State { ARMED, METHOD, STALE }

    private static final FaultLog FAULTS = new FaultLog("response cache (stale answer at a deadline)");

    private final HttpServletResponse container;
    private final DetachedResponse detached;
    private final ErrorFallback fallback;
    private final StaleWriter writer;
    private final CountDownLatch staleWritten = new CountDownLatch(1);
    private volatile State state = State.ARMED;
    private Runnable cancel;

    private DeadlineResponse(HttpServletResponse container, ErrorFallback fallback, StaleWriter writer) {
        super(container);
        this.container = container;
        this.fallback = fallback;
        this.writer = writer;
        this.detached = new DetachedResponse(container);
        detached.setStatus(container.getStatus());
        for (String name : new ArrayList<>(container.getHeaderNames())) {
            if (!name.equalsIgnoreCase("Content-Type")) {
                for (String value : container.getHeaders(name)) {
                    detached.addHeader(name, value);
                }
            }
        }
        if (container.getContentType() != null) {
            detached.setContentType(container.getContentType());
        }
        setResponse(detached);
    }

    /**
     * The response to run the servlet into with the deadline armed, or null when there is no deadline (none
     * configured, or the cache is closing): the servlet then runs into the container's response as usual.
     */
    static DeadlineResponse armed(HttpServletResponse container, ErrorFallback fallback, StaleWriter writer) {
        if (container.isCommitted()) {
            return null;
        }
        DeadlineResponse response = new DeadlineResponse(container, fallback, writer);
        synchronized (response) {
            response.cancel = fallback.armDeadline(response::deadlinePassed);
            return response.cancel == null ? null : response;
        }
    }

    /** On the timer: answers stale unless the servlet has used the container already. */
    private void deadlinePassed() {
        Lookup answer;
        synchronized (this) {
            if (state != State.ARMED) {
                return;
            }
            answer = fallback.answerAtDeadline();
            if (answer == null) {
                // The entry's window passed while the servlet ran: its own response goes to the client.
                return;
            }
            state = State.STALE;
        }
        try {
            writer.write(answer, container);
        } catch (IOException | RuntimeException e) {
            FAULTS.failed(e);
        } finally {
            staleWritten.countDown();
        }
    }

    /** Whether the deadline answered the client (then the servlet's response goes nowhere). */
    boolean answered() {
        return state == State.STALE;
    }

    /**
     * The servlet returned (or threw): true when the deadline answered, once that answer is written; otherwise the
     * servlet's status and headers are now the container's and no deadline fires.
     */
    boolean servletEnded() {
        if (!toContainer()) {
            try {
                staleWritten.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
        return false;
    }

    /** Moves the servlet onto the container's response unless the deadline answered; true when it did move. */
    private boolean toContainer() {
        if (state == State.METHOD) {
            return true;
        }
        synchronized (this) {
            if (state == State.STALE) {
                return false;
            }
            if (cancel != null) {
                cancel.run();
                cancel = null;
            }
            if (state == State.ARMED) {
                copyToContainer();
                setResponse(container);
                state = State.METHOD;
            }
            return true;
        }
    }

    /** Nothing reached the container while armed: it gets exactly the status and headers the servlet set. */
    private void copyToContainer() {
        container.reset();
        container.setStatus(detached.getStatus());
        for (String name : new ArrayList<>(detached.getHeaderNames())) {
            List<String> values = new ArrayList<>(detached.getHeaders(name));
            if (name.equalsIgnoreCase("Content-Type")) {
                continue;
            }
            for (String value : values) {
                container.addHeader(name, value);
            }
        }
        if (detached.getContentType() != null) {
            container.setContentType(detached.getContentType());
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        toContainer();
        return super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        toContainer();
        return super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
        toContainer();
        super.flushBuffer();
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        toContainer();
        super.sendRedirect(location);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        toContainer();
        super.sendError(status, message);
    }

    @Override
    public void sendError(int status) throws IOException {
        toContainer();
        super.sendError(status);
    }

    @Override
    public void addCookie(Cookie cookie) {
        toContainer();
        super.addCookie(cookie);
    }

    @Override
    public void setLocale(Locale locale) {
        toContainer();
        super.setLocale(locale);
    }

    @Override
    public void setBufferSize(int size) {
        toContainer();
        super.setBufferSize(size);
    }
}
