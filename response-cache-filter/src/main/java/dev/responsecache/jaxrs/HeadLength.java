package dev.responsecache.jaxrs;

import dev.responsecache.core.Lookup;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * The {@code Content-Length} of a JAX-RS HEAD hit. A hit leaves framing to the runtime, which knows a length only for
 * a body that fits its buffer (Jersey's 8 KiB): past it, a HEAD writes nothing and the container completes the
 * response with {@code Content-Length: 0}, a length the GET's body does not have, though the method may have declared
 * its own (the entry keeps no {@code Content-Length}, a header of each transmission). So a HEAD hit declares the
 * length of the body a GET hit sends, but only where nothing of the application could still change that body: no
 * response filter or writer interceptor of its own (an encoder, a wrapper of the stream) runs for it.
 */
final class HeadLength {

    private HeadLength() {
    }

    /**
     * Adds the length to {@code headers}, of the replay of {@code lookup}, when it may be known. {@code method} is the
     * request's as the runtime shows it at that point: Jersey shows a HEAD routed to a GET method as a GET until the
     * response, so the method's own hit declares it from its response filter.
     */
    static void declare(MultivaluedMap<String, Object> headers, Lookup lookup, String method,
                        boolean applicationPassesBodiesThrough) {
        if (!applicationPassesBodiesThrough || !"HEAD".equals(method) || lookup.outcome() != Lookup.Outcome.HIT
                || lookup.entry().bodyLength() == 0) {
            return;
        }
        long length = lookup.replayContentLength();
        if (length > 0) {
            headers.putSingle(HttpHeaders.CONTENT_LENGTH, length);
        }
    }
}
