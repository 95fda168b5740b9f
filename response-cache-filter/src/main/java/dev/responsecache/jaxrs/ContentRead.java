package dev.responsecache.jaxrs;

import dev.responsecache.core.RefreshHandOff;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.ext.InterceptorContext;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Notes that the application read content from a GET it may store. HTTP/1.1 frames content with headers, and such a
 * request is never looked up; HTTP/2 and HTTP/3 need neither header, so only a byte read tells. The response to it
 * depends on bytes no key holds and is not stored ({@code request-body}).
 */
final class ContentRead extends FilterInputStream {

    /** The same property as the servlet runner's mark, which sees reads past the entity stream. */
    static final String PROPERTY = RefreshHandOff.CONTENT_READ;

    private final ContainerRequestContext request;
    /** Marked once: a property is a servlet attribute write, not to be paid on every read. */
    private boolean marked;

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

    /** Again as the body is written: a {@code StreamingOutput} may read the request while it writes. */
    static boolean happened(InterceptorContext context) {
        return context.getProperty(PROPERTY) != null;
    }

    private void mark() {
        if (!marked) {
            marked = true;
            request.setProperty(PROPERTY, Boolean.TRUE);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            mark();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            mark();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            mark();
        }
        return skipped;
    }
}
