package dev.responsecache.servlet;

import dev.responsecache.spi.Header;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The error response the application alone gave (its status, header lines and body), read from the uncommitted
 * container response before a stale answer replaces it (stale-if-error), so that a stale answer that cannot be
 * written (a line the container or a response wrapper in front refuses) leaves the client what the application
 * sent, not the container's 500 for the cache's fault. Made only on that path, never on a hit or a miss.
 */
final class ApplicationAnswer {

    private final int status;
    private final List<Header> headers;
    /** The body as the client would have got it, or null when the cache no longer holds it. */
    private final byte[] body;

    private ApplicationAnswer(int status, List<Header> headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * The response as it stands, with {@code body}: the bytes the capture held of it (null when it dropped them, past
     * {@code max-body-size}, or for an error page the container renders from {@code sendError}).
     */
    static ApplicationAnswer of(HttpServletResponse response, byte[] body) {
        return new ApplicationAnswer(response.getStatus(), CapturingResponse.headers(response), body);
    }

    /** Whether the body is known: without it, only the status and header lines can be given again. */
    boolean hasBody() {
        return body != null;
    }

    /**
     * Gives the response, reset after the failed stale answer, this answer's status and header lines again (the
     * first line of a name replaces one the container put back at the reset, the next ones are added), and its body
     * when known. Without the body, its {@code Content-Length} is left out: the caller has the container render the
     * status's error page in its place.
     */
    void sendTo(HttpServletResponse response) throws IOException {
        response.setStatus(status);
        Set<String> set = new HashSet<>();
        for (Header header : headers) {
            String lower = header.name().toLowerCase(Locale.ROOT);
            if (body == null && lower.equals("content-length")) {
                continue;
            }
            if (set.add(lower)) {
                response.setHeader(header.name(), header.value());
            } else {
                response.addHeader(header.name(), header.value());
            }
        }
        if (body != null && body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    int status() {
        return status;
    }
}
