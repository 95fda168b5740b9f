package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.annotation.InvalidatesCache;
import dev.responsecache.core.Invalidations;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.TagTemplate;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.FeatureContext;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the tags and invalidations a resource method declares, checked at start-up against its path parameters. */
final class InvalidationBinding {

    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*(?::[^}]*)?}");

    private InvalidationBinding() {
    }

    /** The tag templates of {@code @CacheResponse(tags)}, or an empty list. */
    static List<TagTemplate> tags(String owner, CacheResponse annotation, Method method, Class<?> resource) {
        return templates(owner, annotation.tags(), pathParameters(method, resource), true);
    }

    /**
     * Registers an {@link InvalidatingFilter} on a method declaring {@code @InvalidatesCache} or, when default
     * invalidation is on, on an unsafe method. With the cache off ({@code cache} null) only checks the annotation.
     */
    static void bind(ResponseCache cache, Method method, Class<?> resource, FeatureContext context) {
        InvalidatesCache declared = JaxrsAnnotatedMethod.inherited(method, InvalidatesCache.class);
        if (declared == null) {
            declared = resource.getAnnotation(InvalidatesCache.class);
        }
        String httpMethod = httpMethod(method);
        boolean ownPath = cache != null && cache.invalidatesUnsafe() && httpMethod != null
                && Invalidations.unsafe(httpMethod);
        if (declared == null && !ownPath) {
            return;
        }
        String owner = resource.getName() + "#" + method.getName();
        List<TagTemplate> tags = List.of();
        List<TagTemplate> paths = List.of();
        if (declared != null) {
            Set<String> parameters = pathParameters(method, resource);
            tags = templates(owner, declared.tags(), parameters, true);
            paths = templates(owner, declared.paths(), parameters, false);
        }
        if (cache != null) {
            context.register(new InvalidatingFilter(cache, ownPath, tags, paths));
        }
    }

    private static List<TagTemplate> templates(String owner, String[] texts, Set<String> parameters, boolean tags) {
        List<TagTemplate> templates = new ArrayList<>();
        for (String text : texts) {
            if (tags && text != null && text.startsWith("/")) {
                throw new ResponseCacheConfigException(owner + ": tag '" + text
                        + "' starts with '/', which names a path: use paths = ... of @InvalidatesCache");
            }
            templates.add(TagTemplate.parse(owner, text, parameters));
        }
        return templates;
    }

    /** The path parameter names of the method's full template, or null for a sub-resource (unknown). */
    private static Set<String> pathParameters(Method method, Class<?> resource) {
        Path root = resource.getAnnotation(Path.class);
        if (root == null) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        collect(root.value(), names);
        Path sub = JaxrsAnnotatedMethod.of(method).getAnnotation(Path.class);
        if (sub != null) {
            collect(sub.value(), names);
        }
        return names;
    }

    private static void collect(String template, Set<String> names) {
        Matcher matcher = PARAMETER.matcher(template);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : JaxrsAnnotatedMethod.of(method).getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }
}
