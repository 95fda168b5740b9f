package dev.responsecache.servlet;

import dev.responsecache.spi.Header;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The response of a revalidating request (see {@link ConditionalRequest}): passes everything on, unless the servlet
 * answers 304 to the conditions the cache added. Then the 304 never reaches the client: its headers are kept for
 * the cache to refresh the stored entry with, its body (if any) is discarded, and the cache answers from the entry.
 */
final class NotModifiedResponse extends HttpServletResponseWrapper {

    private final List<Header> headers = new ArrayList<>();
    private volatile boolean notModified;

    NotModifiedResponse(HttpServletResponse response) {
        super(response);
    }

    /** Whether the servlet answered 304: the cache answers from the stored entry instead. */
    boolean notModified() {
        return notModified;
    }

    /** The header fields the servlet set, in order: those of the 304. */
    synchronized List<Header> headers() {
        return List.copyOf(headers);
    }

    @Override
    public void setStatus(int status) {
        if (status == SC_NOT_MODIFIED && !isCommitted()) {
            notModified = true;
            return;
        }
        super.setStatus(status);
    }

    @Override
    public void setHeader(String name, String value) {
        record(name, value, true);
        if (!notModified) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        record(name, value, false);
        if (!notModified) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setContentLength(int length) {
        if (!notModified) {
            super.setContentLength(length);
        }
    }

    @Override
    public void setContentLengthLong(long length) {
        if (!notModified) {
            super.setContentLengthLong(length);
        }
    }

    @Override
    public void flushBuffer() throws IOException {
        if (!notModified) {
            super.flushBuffer();
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        return notModified ? new DiscardingOutputStream() : super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        return notModified ? new PrintWriter(OutputStream.nullOutputStream()) : super.getWriter();
    }

    private synchronized void record(String name, String value, boolean replace) {
        if (value == null) {
            return;
        }
        if (replace) {
            headers.removeIf(header -> header.is(name));
        }
        headers.add(new Header(name, value));
    }
}
