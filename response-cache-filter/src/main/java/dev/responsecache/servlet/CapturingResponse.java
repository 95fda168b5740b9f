package dev.responsecache.servlet;

import dev.responsecache.core.FaultLog;
import dev.responsecache.core.Header;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SelectionVary;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
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

    private final HttpServletRequest request;
    private final ResponseCache cache;
    private final Lookup lookup;
    private final FaultLog faults;
    private final BodyCapture body;
    private final AtomicBoolean finished = new AtomicBoolean();
    private TeeOutputStream stream;
    private TeeWriter writer;
    private volatile boolean refused;
    /** The Vary field values the servlet set, kept apart from the names the cache adds for downstream caches. */
    private final List<String> applicationVary = new ArrayList<>();

    CapturingResponse(HttpServletRequest request, HttpServletResponse response, ResponseCache cache, Lookup lookup,
                      FaultLog faults) {
        super(response);
        this.request = request;
        this.cache = cache;
        this.lookup = lookup;
        this.faults = faults;
        this.body = new BodyCapture(cache);
        if (!lookup.mayStore()) {
            refuse();
        }
        markForwarded();
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            stream = new TeeOutputStream(super.getOutputStream(), body);
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
            writer = new TeeWriter(out, body);
        }
        return writer;
    }

    @Override
    public void setHeader(String name, String value) {
        if ("Vary".equalsIgnoreCase(name)) {
            applicationVary.clear();
            addVary(value, true);
        } else {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if ("Vary".equalsIgnoreCase(name)) {
            addVary(value, false);
        } else {
            super.addHeader(name, value);
        }
    }

    /** The servlet's Vary merged with the cache's: one rule for a miss and a hit ({@link SelectionVary}). */
    private void addVary(String value, boolean replace) {
        if (value != null) {
            applicationVary.add(value);
        }
        String merged = SelectionVary.merged(lookup, applicationVary);
        if (merged != null) {
            super.setHeader("Vary", merged);
        } else if (value != null) {
            // Nothing to add (or Vary: *): the servlet's own call, as it made it.
            if (replace) {
                super.setHeader("Vary", value);
            } else {
                super.addHeader("Vary", value);
            }
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
     * Stores the completed response if the rules allow. Runs once, when the servlet returns or, for an asynchronous
     * servlet, when the response completes; either way, requests coalesced on the same key are released. Never
     * throws: a fault here is logged and the response stays uncached.
     */
    void finish() {
        if (!finished.compareAndSet(false, true) || refused) {
            return;
        }
        try {
            byte[] bytes = body.captured();
            if (bytes == null || ServletRequestView.createdSession(request)) {
                // A new session's cookie is added by the container, not always where the headers show it.
                return;
            }
            HttpServletResponse response = (HttpServletResponse) getResponse();
            List<Header> headers = withApplicationVary(headers(response));
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
        applicationVary.clear();
        addVary(null, true);
    }

    /** The headers with the servlet's own Vary in place of the merged one: the cache's names are not stored. */
    private List<Header> withApplicationVary(List<Header> sent) {
        List<Header> headers = new ArrayList<>(sent.size());
        for (Header header : sent) {
            if (!header.is("Vary")) {
                headers.add(header);
            }
        }
        for (String line : applicationVary) {
            headers.add(new Header("Vary", line));
        }
        return headers;
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
