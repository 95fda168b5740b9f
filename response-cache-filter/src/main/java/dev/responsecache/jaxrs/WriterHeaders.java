package dev.responsecache.jaxrs;

import dev.responsecache.spi.Header;

import java.util.ArrayList;
import java.util.List;

/**
 * The headers a {@code MessageBodyWriter} set in {@code writeTo}, folded into the headers to store. JAX-RS hands the
 * writer the response's header map, and the client gets what it set there (the runtime sends the headers when the
 * first byte is written); a hit replays the stored body without the writer, so what it set must be in the entry.
 * The cache's writer interceptor runs innermost, right around the writer: whatever changed during its
 * {@code proceed} is the writer's.
 */
final class WriterHeaders {

    private WriterHeaders() {
    }

    /**
     * {@code produced} with the field lines the writer removed taken out and those it added put in: the difference
     * between {@code before} and {@code after} (the header map around the writer), line by line, so that lines the
     * response filters put in the map for this request (a {@code Vary} an encoder adds) stay out of the entry as they
     * did; {@code produced} itself when the writer changed nothing, as nearly every writer does.
     */
    static List<Header> applied(List<Header> produced, List<Header> before, List<Header> after) {
        if (before.equals(after)) {
            return produced;
        }
        List<Header> removed = new ArrayList<>(before);
        List<Header> added = new ArrayList<>(2);
        for (Header line : after) {
            int at = indexOf(removed, line);
            if (at >= 0) {
                removed.remove(at);
            } else {
                added.add(line);
            }
        }
        if (removed.isEmpty() && added.isEmpty()) {
            return produced;
        }
        List<Header> result = new ArrayList<>(produced);
        for (Header line : removed) {
            int at = indexOf(result, line);
            if (at >= 0) {
                result.remove(at);
            }
        }
        result.addAll(added);
        return result;
    }

    /** The first of {@code headers} that is the field line {@code line} (name without case, value exactly), or -1. */
    private static int indexOf(List<Header> headers, Header line) {
        for (int i = 0; i < headers.size(); i++) {
            Header header = headers.get(i);
            if (line.is(header.name()) && line.value().equals(header.value())) {
                return i;
            }
        }
        return -1;
    }
}
