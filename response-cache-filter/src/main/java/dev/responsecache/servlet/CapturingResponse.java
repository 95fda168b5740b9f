package dev.responsecache.servlet;

import dev.responsecache.core.FaultLog;
import dev.responsecache.core.Header;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The response of a missed request, as the servlet sees it. Status and headers are left to the container (however
 * the servlet sets them) and read back from it once the response is complete, so what is stored is what the client
 * got; the body is copied as it is written. A response the container completes on its own ({@code sendError}, whose
 * error page is rendered after the filter returns, and {@code sendRedirect}) or that sets a cookie is passed through
 * and never stored.
 */
final class CapturingResponse extends HttpServletResponseWrapper {

    private final ResponseCache cache;
    private final Lookup lookup;
    private final FaultLog faults;
    private final BodyCapture body;
    private final AtomicBoolean finished = new AtomicBoolean();
    private TeeOutputStream stream;
    private TeeWriter writer;
    private volatile boolean refused;

    CapturingResponse(HttpServletResponse response, ResponseCache cache, Lookup lookup, FaultLog faults) {
        super(response);
        this.cache = cache;
        this.lookup = lookup;
        this.faults = faults;
        this.body = new BodyCapture(cache, lookup);
        if (!lookup.mayStore()) {
            refuse();
        }
        markForwarded();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            ServletOutputStream out = super.getOutputStream();
            if (!refused) {
                body.holdStream(out);
            }
            stream = new TeeOutputStream(out, body);
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter out = super.getWriter();
            // Once the writer is obtained the charset is fixed: the copy encodes with the one the container uses.
            try {
                body.encodeWith(Charset.forName(getCharacterEncoding()));
            } catch (IllegalArgumentException unsupported) {
                refuse();
            }
            if (!refused) {
                body.holdChars(out);
            }
            writer = new TeeWriter(out, body);
        }
        return writer;
    }

    /** Deferred while the body is held back: the response is committed when the body is delivered. */
    @Override
    public void flushBuffer() throws IOException {
        if (!body.holding()) {
            super.flushBuffer();
        }
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        refuse();
        super.sendError(status, message);
    }

    @Override
    public void sendError(int status) throws IOException {
        refuse();
        super.sendError(status);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        refuse();
        super.sendRedirect(location);
    }

    @Override
    public void addCookie(Cookie cookie) {
        // Some containers keep cookies apart from the headers they list: refuse here rather than rely on seeing it.
        refuse();
        super.addCookie(cookie);
    }

    @Override
    public void reset() {
        super.reset();
        stream = null;
        writer = null;
        body.restart();
        markForwarded();
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        body.restart();
    }

    /**
     * This response will not be stored: the copy of its body is dropped at once, and requests waiting for it to be
     * stored (coalesced on the same key) are released to run the servlet themselves.
     */
    void refuse() {
        refused = true;
        body.abandon();
        cache.release(lookup);
    }

    /**
     * The servlet went asynchronous: its completion cannot wait for a store, so what is held goes to the client now and
     * the rest streams through (still copied, and stored when the response completes).
     */
    void stopHolding() throws IOException {
        body.deliver();
    }

    /**
     * Stores the completed response if the rules allow, then sends the body if it was held back. Runs once, when the
     * servlet returns or, for an asynchronous servlet, when the response completes; either way, requests coalesced on
     * the same key are released before the body is sent. A fault in storing is logged and the response stays
     * uncached; only a failure to send the body to the client is thrown.
     */
    void finish() throws IOException {
        if (!finished.compareAndSet(false, true) || refused) {
            return;
        }
        try {
            store();
        } finally {
            body.deliver();
        }
    }

    private void store() {
        try {
            byte[] bytes = body.captured();
            if (bytes == null) {
                return;
            }
            HttpServletResponse response = (HttpServletResponse) getResponse();
            List<Header> headers = headers(response);
            if (!lengthMatches(headers, bytes.length)) {
                return;
            }
            cache.store(lookup, response.getStatus(), headers, bytes);
        } catch (RuntimeException e) {
            faults.failed(e);
        } finally {
            cache.release(lookup);
        }
    }

    private void markForwarded() {
        for (Header header : lookup.forwardHeaders(cache.settings().statusHeader())) {
            setHeader(header.name(), header.value());
        }
    }

    /** Every header the client gets, read back from the container, so it does not matter how each was set. */
    private static List<Header> headers(HttpServletResponse response) {
        List<Header> headers = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String name : response.getHeaderNames()) {
            if (seen.add(name.toLowerCase(Locale.ROOT))) {
                for (String value : response.getHeaders(name)) {
                    headers.add(new Header(name, value));
                }
            }
        }
        // The servlet API does not promise that Content-Type is among the listed headers.
        String contentType = response.getContentType();
        if (contentType != null && !seen.contains("content-type")) {
            headers.add(new Header("Content-Type", contentType));
        }
        return headers;
    }

    /** A declared length the body does not have means the client got something else than what was copied. */
    private static boolean lengthMatches(List<Header> headers, int length) {
        for (Header header : headers) {
            if (header.is("Content-Length") && !header.value().trim().equals(Integer.toString(length))) {
                return false;
            }
        }
        return true;
    }
}
