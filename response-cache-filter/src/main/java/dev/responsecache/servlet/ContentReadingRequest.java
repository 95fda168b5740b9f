package dev.responsecache.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Refuses to store the response of a GET whose content the servlet reads. HTTP/1.1 frames content with headers, and
 * such a request is never looked up; HTTP/2 and HTTP/3 need neither header, so only a byte read tells (the servlet API
 * tells no end of content before a read: Jetty's {@code isFinished()} is false and {@code available()} 0 for a
 * request that has none). The response depends on bytes no key holds ({@code request-body}).
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
