package dev.responsecache.jaxrs;

import dev.responsecache.spi.Header;

import jakarta.ws.rs.core.HttpHeaders;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Header field lines as the JAX-RS adapter compares them: the lines a runtime's map holds after a {@code putSingle},
 * the {@code Vary} elements a response was sent with beside the stored ones, the same lines in any order.
 */
final class FieldLines {

    private FieldLines() {
    }

    /** {@code headers} after {@code putSingle} of each of {@code replacing}, as the runtime's map then holds them. */
    static List<Header> replaced(List<Header> headers, List<Header> replacing) {
        List<Header> result = new ArrayList<>(headers.size() + replacing.size());
        for (Header header : headers) {
            if (!named(replacing, header)) {
                result.add(header);
            }
        }
        result.addAll(replacing);
        return result;
    }

    private static boolean named(List<Header> headers, Header wanted) {
        for (Header header : headers) {
            if (wanted.is(header.name())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The {@code Vary} field values the client got beside the stored response's own: those the application's
     * filters added before {@link CachingFilter#STORE_PRIORITY}, and each element a later filter, interceptor or
     * message body writer added after it merged them (a writer's is stored too; the others add theirs again on a
     * hit). The entry answers only requests with the values of this one for them. The elements the cache added
     * itself for its key ({@link dev.responsecache.core.SelectionVary}) are keyed already and not recorded.
     */
    static List<String> sentVary(Object applicationVary, Object mergedVary, List<Header> sent) {
        List<String> vary = new ArrayList<>();
        if (applicationVary instanceof List<?> lines) {
            lines.forEach(line -> vary.add(String.valueOf(line)));
        }
        Set<?> merged = mergedVary instanceof Set<?> known ? known : Set.of();
        for (Header header : sent) {
            if (header.is(HttpHeaders.VARY)) {
                for (String element : varyElements(List.of(header.value()))) {
                    if (!merged.contains(element)) {
                        vary.add(element);
                    }
                }
            }
        }
        return vary;
    }

    /** The elements of {@code Vary} field values, lower case, each once. */
    static Set<String> varyElements(List<String> lines) {
        Set<String> elements = new LinkedHashSet<>();
        for (String line : lines) {
            for (String element : line.split(",")) {
                String trimmed = element.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    elements.add(trimmed);
                }
            }
        }
        return elements;
    }

    /** The same field lines in any order, names compared without case (a handful: no sorted copies needed). */
    static boolean sameFieldLines(List<Header> expected, List<Header> sent) {
        int size = expected.size();
        if (sent.size() != size) {
            return false;
        }
        boolean[] matched = new boolean[size];
        for (Header wanted : expected) {
            boolean found = false;
            for (int i = 0; i < size && !found; i++) {
                Header candidate = sent.get(i);
                if (!matched[i] && wanted.is(candidate.name()) && wanted.value().equals(candidate.value())) {
                    matched[i] = true;
                    found = true;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
