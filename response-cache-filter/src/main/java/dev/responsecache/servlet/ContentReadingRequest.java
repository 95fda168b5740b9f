package dev.responsecache.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;

/**
 * Refuses to store the response of a GET whose content the servlet reads. HTTP/1.1 frames content with headers, and
 * such a request is never looked up; HTTP/2 and HTTP/3 need neither header, so only a byte read tells (the servlet API
 * tells no end of content before a read: Jetty's {@code isFinished()} is false and {@code available()} 0 for a
 * request that has none). The response depends on bytes no key holds ({@code request-body}). The container reads
 * the content itself for the parts of a multipart request and for the parameters of a form, past any wrapper: those
 * calls refuse before they read.
 */
final class ContentReadingRequest extends HttpServletRequestWrapper {

    private final Runnable refusal;
    private boolean refused;
    private ServletInputStream stream;
    private BufferedReader reader;

    ContentReadingRequest(HttpServletRequest request, Runnable refuse) {
        super(request);
        this.refusal = refuse;
    }

    /**
     * {@code request} watched where content may come unannounced: over HTTP/1.x a request without Content-Length or
     * Transfer-Encoding has no content (RFC 9112 6.3), and one with either is never looked up, so it goes unwrapped.
     */
    static HttpServletRequest watch(HttpServletRequest request, Runnable refuse) {
        String protocol = request.getProtocol();
        if (protocol != null && protocol.startsWith("HTTP/1.")) {
            return request;
        }
        return new ContentReadingRequest(request, refuse);
    }

    private void refuse() {
        if (!refused) {
            refused = true;
            refusal.run();
        }
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        ServletInputStream in = super.getInputStream();
        if (stream == null || !(stream instanceof Watched watched && watched.in == in)) {
            stream = new Watched(in);
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            reader = new BufferedReader(new WatchedReader(super.getReader()));
        }
        return reader;
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        refuse();
        return super.getParts();
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        refuse();
        return super.getPart(name);
    }

    @Override
    public String getParameter(String name) {
        refuseForm();
        return super.getParameter(name);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        refuseForm();
        return super.getParameterMap();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        refuseForm();
        return super.getParameterNames();
    }

    @Override
    public String[] getParameterValues(String name) {
        refuseForm();
        return super.getParameterValues(name);
    }

    /**
     * A container may parse the content of a form into parameters on a GET (Tomcat's {@code parseBodyMethods},
     * Jetty's form-encoded methods), which no read here sees: a form's content type refuses.
     */
    private void refuseForm() {
        if (refused) {
            return;
        }
        String type = getContentType();
        if (type != null) {
            String media = type.toLowerCase(Locale.ROOT).trim();
            if (media.startsWith("application/x-www-form-urlencoded") || media.startsWith("multipart/")) {
                refuse();
            }
        }
    }

    private final class Watched extends ServletInputStream {
        private final ServletInputStream in;

        Watched(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                refuse();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                refuse();
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private final class WatchedReader extends FilterReader {
        WatchedReader(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) {
                refuse();
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                refuse();
            }
            return n;
        }
    }
}
