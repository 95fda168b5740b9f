package dev.responsecache.core;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The rules of what an eviction names. A path is evicted as a tag that every entry carries implicitly: the raw path
 * it was requested at, which starts with {@code /}, where user tags may not. So one index serves tags and paths, and
 * evicting a path reaches every query string, vary value and representation of it without scanning.
 */
public final class Invalidations {

    private Invalidations() {
    }

    /**
     * The tag of the entries of one request to evict, {@code target}'s path and query as sent.
     *
     * @throws IllegalArgumentException when its path does not start with '/' or its query is malformed
     */
    public static String requestTag(URI target) {
        Objects.requireNonNull(target, "target");
        String rawPath = target.getRawPath();
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw new IllegalArgumentException("a request to evict must have a path starting with '/': " + target);
        }
        String tag = requestTag(rawPath, target.getRawQuery());
        if (tag == null) {
            throw new IllegalArgumentException("malformed query string (no entry is stored for it): " + target);
        }
        return tag;
    }

    /**
     * The implicit tag of every entry stored for {@code rawPath}: the path without its query and without the matrix
     * parameters of each segment ({@code /items/1;view=short} tags as {@code /items/1}), since JAX-RS runtimes and
     * servlet containers route {@code /items/1;view=short} to what answers {@code /items/1}: evicting either reaches
     * both (their keys and URL tags still hold the parameters, so they stay apart otherwise); and in the one
     * spelling of {@link PathSpellings} ({@code /items/1/} and {@code /items/%31} tag as {@code /items/1}), for the
     * same reason.
     */
    public static String pathTag(String rawPath) {
        return PathSpellings.canonical(withoutMatrixParameters(checkedPath(rawPath)));
    }

    private static String checkedPath(String rawPath) {
        Objects.requireNonNull(rawPath, "path");
        int query = rawPath.indexOf('?');
        String path = query < 0 ? rawPath : rawPath.substring(0, query);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path must start with '/': " + rawPath);
        }
        return path;
    }

    /** Drops each segment's text from its first {@code ;} on (an encoded {@code %3B} is data and stays). */
    static String withoutMatrixParameters(String path) {
        int semicolon = path.indexOf(';');
        if (semicolon < 0) {
            return path;
        }
        StringBuilder stripped = new StringBuilder(path.length()).append(path, 0, semicolon);
        int i = semicolon;
        while (i >= 0) {
            // path[i] is a ';': skip to the next segment, then copy it up to its own ';'.
            int slash = path.indexOf('/', i);
            if (slash < 0) {
                break;
            }
            int next = path.indexOf(';', slash);
            stripped.append(path, slash, next < 0 ? path.length() : next);
            i = next;
        }
        return stripped.toString();
    }

    /**
     * The implicit tag of every entry stored for one URL: its raw path and its query as the key reads it (decoded,
     * parameters sorted by name), so that {@code ?a=1&b=2} and {@code ?b=2&a=%31} name the same entries, as they
     * share a key. It starts with {@code /} (no user tag does) and holds a {@code ?} (no path tag does). Null for a
     * malformed query, which no entry is stored for.
     */
    public static String requestTag(String rawPath, String rawQuery) {
        String path = checkedPath(rawPath);
        List<String[]> query = CacheKeys.parseQuery(rawQuery);
        if (query == null) {
            return null;
        }
        StringBuilder tag = new StringBuilder(path.length() + 16).append(path).append('?').append(query.size());
        for (String[] parameter : query) {
            tag.append('&').append(parameter[0].length()).append(':').append(parameter[0])
                    .append('=').append(parameter[1].length()).append(':').append(parameter[1]);
        }
        return tag.toString();
    }

    /**
     * The tags of a tag header's value ({@code responsecache.tag-header}): separated by commas or white space; blank
     * and path-like ones are ignored, as for the tags a request attribute adds.
     */
    public static List<String> headerTags(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        for (String tag : value.split("[,\\s]+")) {
            if (!tag.isEmpty() && !tag.startsWith("/")) {
                tags.add(tag);
            }
        }
        return tags;
    }

    /** A user tag, checked: not blank, and not a path. */
    public static String userTag(String tag) {
        if (tag == null || tag.isBlank()) {
            throw new IllegalArgumentException("a tag must not be blank: '" + tag + "'");
        }
        if (tag.startsWith("/")) {
            throw new IllegalArgumentException("a tag must not start with '/' (that names a path): " + tag);
        }
        return tag;
    }

    /** Whether a response with this status to an unsafe request evicts (RFC 9111 4.4: a non-error status). */
    public static boolean evictsAfter(int status) {
        return status >= 200 && status < 400;
    }

    /**
     * Request attribute the JAX-RS adapter sets when the runtime routed to a cached GET method a request that names
     * another method in {@link #METHOD_OVERRIDE} (Jersey's {@code HttpMethodOverrideFilter} turns such a POST into
     * the GET): the application answered a read, so a servlet filter in front, which saw a POST, evicts nothing for
     * it. A POST the runtime ran as a POST (no such filter, or another method named) evicts as every POST does.
     */
    public static final String ROUTED_AS_READ = "dev.responsecache.routed-as-read";
    /** The header by which a client sends another method than the request line's (Jersey reads it for POSTs). */
    public static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    /** Whether a request method is unsafe (RFC 9110 9.2.1) and so may change what a GET returns. */
    public static boolean unsafe(String method) {
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)
                || "TRACE".equals(method));
    }

    /**
     * The path tag of a {@code Location} or {@code Content-Location} value when it names a resource of the same
     * origin as the request (RFC 9111 4.4 forbids evicting another host's entries, which would let one site purge
     * another's), or null: a relative reference, or an absolute one with the request's scheme, host and port.
     *
     * @param requestUri the absolute URI of the request
     */
    public static String sameOriginPathTag(URI requestUri, String location) {
        return sameOriginPathTag(requestUri, requestUri, location);
    }

    /**
     * As {@link #sameOriginPathTag(URI, String)}, with a relative reference resolved against {@code resolvedAgainst}
     * rather than the request's URI: a JAX-RS runtime may send a relative {@code Location} made absolute against the
     * application's base URI (Jersey does, after the response filters, as JAX-RS resolves a relative location), and
     * the eviction must name what the client is sent.
     */
    public static String sameOriginPathTag(URI requestUri, URI resolvedAgainst, String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        URI target;
        try {
            target = resolvedAgainst.resolve(location.trim());
        } catch (IllegalArgumentException malformed) {
            return null;
        }
        if (target.getRawPath() == null || target.getRawPath().isEmpty() || target.getHost() == null
                || !Objects.equals(lower(target.getScheme()), lower(requestUri.getScheme()))
                || !target.getHost().equalsIgnoreCase(Objects.toString(requestUri.getHost(), ""))
                || port(target) != port(requestUri)) {
            return null;
        }
        return pathTag(target.getRawPath());
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
