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
     * {@code produced} with, for every header name whose field lines differ between {@code before} and
     * {@code after} (the header map around the writer), the lines {@code after} has; {@code produced} itself when
     * the writer changed nothing, as nearly every writer does.
     */
    static List<Header> applied(List<Header> produced, List<Header> before, List<Header> after) {
        List<String> changed = null;
        for (Header header : after) {
            if (count(before, header) != count(after, header)) {
                changed = add(changed, header.name());
            }
        }
        for (Header header : before) {
            if (count(before, header) != count(after, header)) {
                changed = add(changed, header.name());
            }
        }
        if (changed == null) {
            return produced;
        }
        List<Header> result = new ArrayList<>(produced.size() + after.size());
        for (Header header : produced) {
            if (!named(changed, header.name())) {
                result.add(header);
            }
        }
        for (Header header : after) {
            if (named(changed, header.name())) {
                result.add(header);
            }
        }
        return result;
    }

    /** How many of {@code headers} are the field line {@code line} (name without case, value exactly). */
    private static int count(List<Header> headers, Header line) {
        int count = 0;
        for (Header header : headers) {
            if (line.is(header.name()) && line.value().equals(header.value())) {
                count++;
            }
        }
        return count;
    }

    private static List<String> add(List<String> names, String name) {
        List<String> result = names == null ? new ArrayList<>(2) : names;
        if (!named(result, name)) {
            result.add(name);
        }
        return result;
    }

    private static boolean named(List<String> names, String name) {
        for (String known : names) {
            if (known.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
