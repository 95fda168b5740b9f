package dev.responsecache.servlet;

import dev.responsecache.core.ErrorFallback;
import dev.responsecache.core.Lookup;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The servlet filter's stale-if-error deadline ({@code staleIfErrorDeadline}): the response of a miss that a stale
 * entry may answer on error, below the capture, keeping the status and headers the servlet sets in memory (a
 * {@link DetachedResponse} that starts as a copy of the container's) while the deadline is armed. The servlet's first
 * need of the container itself (its output stream or writer, a flush, a redirect, a cookie, a locale, a buffer
 * size), or its return, copies them to the container and disarms the deadline; a deadline that passes first answers
 * the client with the stale entry, and the servlet goes on into memory (its body is still copied by the capture and
 * stored). Which thread writes the container's response is decided once by a {@link DeadlineGate}.
 */
final class DeadlineResponse extends HttpServletResponseWrapper {

    /** Writes the stale answer to the container's response, on the timer's thread. */
    interface StaleWriter {
        /** See {@link DeadlineGate.StaleWriter}. */
        DeadlineGate.StaleBody write(Lookup answer, HttpServletResponse container) throws IOException;
    }

    private final HttpServletResponse container;
    private final DetachedResponse detached;
    /** Moves the servlet onto the container's response, when it takes it from the armed deadline. */
    private final Runnable takeOver = this::moveToContainer;
    /** Null when nothing could be armed: this response is then not used. */
    private final DeadlineGate gate;

    private DeadlineResponse(HttpServletResponse container, ServletContext context, ErrorFallback fallback,
                             StaleWriter writer) {
        super(container);
        this.container = container;
        this.detached = DetachedResponse.replayable(container, context);
        detached.setStatus(container.getStatus());
        // Each name set, then its further lines added: made again on the container after its reset, a name the reset
        // kept (Jetty keeps its Server and Date fields) is replaced rather than sent twice.
        for (String name : new ArrayList<>(container.getHeaderNames())) {
            if (!name.equalsIgnoreCase("Content-Type")) {
                boolean first = true;
                for (String value : container.getHeaders(name)) {
                    if (first) {
                        detached.setHeader(name, value);
                        first = false;
                    } else {
                        detached.addHeader(name, value);
                    }
                }
            }
        }
        if (container.getContentType() != null) {
            detached.setContentType(container.getContentType());
        }
        setResponse(detached);
        this.gate = DeadlineGate.arm(fallback, answer -> writer.write(answer, container));
    }

    /**
     * The response to run the servlet into with the deadline armed, or null when there is no deadline (none
     * configured, or the cache is closing): the servlet then runs into the container's response as usual.
     */
    static DeadlineResponse armed(HttpServletResponse container, ServletContext context, ErrorFallback fallback,
                                  StaleWriter writer) {
        if (container.isCommitted()) {
            return null;
        }
        DeadlineResponse response = new DeadlineResponse(container, context, fallback, writer);
        return response.gate == null ? null : response;
    }

    /**
     * The servlet returned, threw or completed asynchronously: true when the deadline answered, once that answer is written; otherwise the
     * servlet's status and headers are now the container's and no deadline fires.
     */
    boolean servletEnded() {
        return gate.answeredOnceWritten(takeOver);
    }

    /** Moves the servlet onto the container's response unless the deadline answered; true when it did move. */
    private boolean toContainer() {
        return gate.requestThreadWrites(takeOver);
    }

    private void moveToContainer() {
        copyToContainer();
        setResponse(container);
    }

    /**
     * Nothing reached the container while armed: it gets the calls that set the status and headers, in order, so that
     * what it sends is what the servlet would have had from it (a charset named without a type, a date, the type as
     * the container writes it).
     */
    private void copyToContainer() {
        container.reset();
        detached.replay(container);
    }

    /**
     * The response the servlet runs into after the deadline answered the client, or null while it may still reach
     * the container: there nothing commits but what the cache commits, as for a background refresh.
     */
    DetachedResponse inMemory() {
        return getResponse() == detached && gate.answered() ? detached : null;
    }

    /** Whether what the servlet set while armed, held here, is what the container would send. */
    boolean reproducible() {
        return getResponse() == container || detached.reproducible();
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

    /**
     * After the deadline answered, the servlet's size goes to the response in memory, which kept the container's
     * buffer size: it still sizes the response there, what the servlet reads and what commits it
     * ({@code CapturingResponse}), as on the miss.
     */
    @Override
    public void setBufferSize(int size) {
        toContainer();
        super.setBufferSize(size);
    }
}
