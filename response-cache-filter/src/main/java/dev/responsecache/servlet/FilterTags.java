package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.core.PathPattern;
import dev.responsecache.core.TagTemplate;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tags a filter stores its responses with: the {@code tags} init-param (comma-separated templates, as in
 * {@code @CacheResponse(tags)}), whose {@code {name}} placeholders take the segments of the {@code tagPath}
 * init-param (a pattern over the path within the application, e.g. {@code /products/{id}}).
 */
record FilterTags(List<TagTemplate> templates, PathPattern pattern) {

    static final String TAGS = "tags";
    static final String TAG_PATH = "tagPath";
    static final FilterTags NONE = new FilterTags(List.of(), null);

    static FilterTags from(FilterConfig config, String owner) {
        String tags = config.getInitParameter(TAGS);
        String path = config.getInitParameter(TAG_PATH);
        PathPattern pattern = path == null || path.isBlank() ? null
                : PathPattern.parse(owner + ", init-param " + TAG_PATH, path.trim());
        List<TagTemplate> templates = new ArrayList<>();
        if (tags != null) {
            for (String tag : tags.split(",")) {
                if (tag.isBlank()) {
                    continue;
                }
                if (tag.trim().startsWith("/")) {
                    throw new ResponseCacheConfigException(owner + ": init-param " + TAGS + " has '" + tag.trim()
                            + "', but a tag must not start with '/' (entries are tagged with their path already)");
                }
                templates.add(TagTemplate.parse(owner + ", init-param " + TAGS, tag.trim(),
                        pattern == null ? List.of() : pattern.names()));
            }
        }
        return templates.isEmpty() && pattern == null ? NONE : new FilterTags(templates, pattern);
    }

    /** The path parameters of this request, by the pattern. */
    Map<String, String> pathParameters(HttpServletRequest request) {
        if (pattern == null) {
            return Map.of();
        }
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return pattern.match(path);
    }
}
