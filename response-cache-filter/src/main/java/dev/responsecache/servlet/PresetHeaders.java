package dev.responsecache.servlet;

import dev.responsecache.spi.Header;

import jakarta.servlet.http.HttpServletResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The headers a response already carries when the cache filter receives it: set by filters in front of the cache
 * for this request alone (a request id, a reflected {@code Origin}). They are not the application's response, so they
 * are not stored; a hit keeps the values the filters in front set for that request and adds the stored headers to
 * them, which composes to what the miss sent.
 *
 * <p>{@code Content-Type} and {@code Content-Length} are not counted: each has one value, which the application's own
 * (stored) value replaces, and a hit sets them the same way.
 */
final class PresetHeaders {

    /** No preset headers: for a response that is not stored anyway. */
    static final PresetHeaders NONE = new PresetHeaders(Map.of());

    /** Lower-case name to the values in the order they were set. */
    private final Map<String, List<String>> values;

    private PresetHeaders(Map<String, List<String>> values) {
        this.values = values;
    }

    static PresetHeaders of(HttpServletResponse response) {
        Map<String, List<String>> values = null;
        for (String name : response.getHeaderNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-type") || lower.equals("content-length")) {
                continue;
            }
            if (values == null) {
                values = new LinkedHashMap<>();
            }
            if (!values.containsKey(lower)) {
                values.put(lower, List.copyOf(response.getHeaders(name)));
            }
        }
        return values == null ? NONE : new PresetHeaders(values);
    }

    /**
     * Sets the preset headers again, on a response that was reset: those lines the reset left in place are not added
     * a second time. Jetty 12 sets its own {@code Date} and {@code Server} lines as a request starts, before any
     * filter, and keeps them through {@code reset()}: added again, they went out twice.
     */
    void restore(HttpServletResponse response) {
        for (Map.Entry<String, List<String>> header : values.entrySet()) {
            List<String> kept = new ArrayList<>(response.getHeaders(header.getKey()));
            for (String value : header.getValue()) {
                if (!kept.remove(value)) {
                    response.addHeader(header.getKey(), value);
                }
            }
        }
    }

    /** The values preset for a header (lower-case name), in the order they were set; empty when none. */
    List<String> values(String lowerCaseName) {
        return values.getOrDefault(lowerCaseName, List.of());
    }

    /**
     * The headers of the complete response without the preset values: what the application added. Null when the
     * application replaced or removed a preset value: a hit could then not compose the stored headers with another
     * request's preset values into what this miss sent, so the response is not stored.
     */
    List<Header> added(List<Header> all) {
        if (values.isEmpty()) {
            return all;
        }
        Map<String, Integer> matched = new HashMap<>();
        List<Header> added = new ArrayList<>(all.size());
        for (Header header : all) {
            String lower = header.name().toLowerCase(Locale.ROOT);
            List<String> preset = values.get(lower);
            int index = matched.getOrDefault(lower, 0);
            if (preset == null || index >= preset.size()) {
                added.add(header);
            } else if (preset.get(index).equals(header.value())) {
                matched.put(lower, index + 1);
            } else {
                return null;
            }
        }
        for (Map.Entry<String, List<String>> preset : values.entrySet()) {
            if (matched.getOrDefault(preset.getKey(), 0) < preset.getValue().size()) {
                return null;
            }
        }
        return added;
    }
}
