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
     * {@code produced} with what the writer did to the header map ({@code before} and {@code after} it), line by line:
     * a line it only added is added; for a header of which it removed or replaced lines, the entry takes that header's
     * lines as the writer left them, less those the response filters had put in the map for this request. So a filter's
     * line (an encoder's {@code Vary: Accept-Encoding}) stays out of the entry beside a line the writer added, and a
     * header the writer replaced is stored once, as the writer set it. {@code produced} itself when the writer changed
     * nothing, as nearly every writer does.
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
        List<Header> filters = new ArrayList<>(before);
        for (Header line : produced) {
            int at = indexOf(filters, line);
            if (at >= 0) {
                filters.remove(at);
            }
        }
        List<Header> result = new ArrayList<>(produced.size() + added.size());
        for (Header line : produced) {
            if (!named(removed, line.name())) {
                result.add(line);
            }
        }
        for (Header line : after) {
            if (named(removed, line.name())) {
                int at = indexOf(filters, line);
                if (at >= 0) {
                    filters.remove(at);
                } else {
                    result.add(line);
                }
            }
        }
        for (Header line : added) {
            if (!named(removed, line.name())) {
                result.add(line);
            }
        }
        return result;
    }

    private static boolean named(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.is(name)) {
                return true;
            }
        }
        return false;
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
