package dev.responsecache.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Notes that the application read content from a GET it may store. HTTP/1.1 frames content with headers, and such a
 * request is never looked up; HTTP/2 and HTTP/3 need neither header, so only a byte read tells. The response to it
 * depends on bytes no key holds and is not stored ({@code request-body}).
 */
final class ContentRead extends FilterInputStream {

    static final String PROPERTY = "dev.responsecache.content-read";

    private final ContainerRequestContext request;

    private ContentRead(InputStream in, ContainerRequestContext request) {
        super(in);
        this.request = request;
    }

    /** Watches the entity stream of a request whose response may be stored. */
    static void watch(ContainerRequestContext request) {
        InputStream entity = request.getEntityStream();
        if (entity != null) {
            request.setEntityStream(new ContentRead(entity, request));
        }
    }

    static boolean happened(ContainerRequestContext request) {
        return request.getProperty(PROPERTY) != null;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            request.setProperty(PROPERTY, Boolean.TRUE);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            request.setProperty(PROPERTY, Boolean.TRUE);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            request.setProperty(PROPERTY, Boolean.TRUE);
        }
        return skipped;
    }
}
