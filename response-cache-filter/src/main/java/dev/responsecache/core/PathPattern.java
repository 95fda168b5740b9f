package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A path with named segments, {@code /products/{id}}, giving the servlet filter's tag templates the path parameters
 * JAX-RS gives a resource method. Each {@code {name}} matches one whole segment; the rest must match literally.
 */
public final class PathPattern {

    private final String text;
    private final List<String> segments;
    private final Set<String> names;

    private PathPattern(String text, List<String> segments, Set<String> names) {
        this.text = text;
        this.segments = List.copyOf(segments);
        this.names = Collections.unmodifiableSet(names);
    }

    /** @throws ResponseCacheConfigException naming {@code owner} when the pattern is malformed */
    public static PathPattern parse(String owner, String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new ResponseCacheConfigException(owner + ": path pattern '" + pattern + "' must start with '/'");
        }
        List<String> segments = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String segment : pattern.substring(1).split("/", -1)) {
            boolean placeholder = segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2;
            if (!placeholder && (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0)) {
                throw new ResponseCacheConfigException(owner + ": path pattern '" + pattern
                        + "' has a placeholder that is not a whole segment: " + segment);
            }
            if (placeholder && !names.add(segment.substring(1, segment.length() - 1))) {
                throw new ResponseCacheConfigException(owner + ": path pattern '" + pattern + "' repeats " + segment);
            }
            segments.add(segment);
        }
        return new PathPattern(pattern, segments, names);
    }

    /** The placeholder names. */
    public Set<String> names() {
        return names;
    }

    /**
     * The values of the placeholders in {@code path}, or an empty map when the path does not match. A trailing slash
     * that the pattern or the path lacks is ignored: a servlet may answer {@code /items/1/} as {@code /items/1}, as
     * the JAX-RS runtimes do, and the other way round, and its entry must carry the tags an eviction of that item
     * names (an extra tag costs a miss at most).
     */
    public Map<String, String> match(String path) {
        Map<String, String> values = matchExactly(path);
        if (!values.isEmpty() || path == null) {
            return values;
        }
        if (path.length() > 1 && path.endsWith("/")) {
            return matchExactly(path.substring(0, path.length() - 1));
        }
        return text.length() > 1 && text.endsWith("/") ? matchExactly(path + "/") : values;
    }

    private Map<String, String> matchExactly(String path) {
        if (path == null || !path.startsWith("/")) {
            return Map.of();
        }
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length != segments.size()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String segment = segments.get(i);
            if (segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2) {
                values.put(segment.substring(1, segment.length() - 1), parts[i]);
            } else if (!segment.equals(parts[i])) {
                return Map.of();
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return text;
    }
}
