package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A tag (or path) with placeholders, parsed once at start-up: {@code product:{id}} takes the path parameter
 * {@code id}, {@code {query.id}} the first value of the query parameter {@code id}. A value the request lacks is
 * filled in as the empty text, so that a tag is never silently dropped.
 */
public final class TagTemplate {

    private static final String QUERY = "query.";

    /** Literal text and placeholders, alternating: literal, name, literal, ... (a name is null for none). */
    private final List<String> parts;
    private final String text;

    private TagTemplate(String text, List<String> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses {@code template}.
     *
     * @param pathParameters the path parameters the owner has, or null when unknown (any name is accepted)
     * @throws ResponseCacheConfigException naming {@code owner} and the template when it is malformed or names a path
     *                                      parameter the owner does not have
     */
    public static TagTemplate parse(String owner, String template, Collection<String> pathParameters) {
        if (template == null || template.isBlank()) {
            throw new ResponseCacheConfigException(owner + ": a tag must not be blank");
        }
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '}') {
                throw bad(owner, template, "an unmatched '}'");
            }
            if (c != '{') {
                literal.append(c);
                i++;
                continue;
            }
            int end = template.indexOf('}', i);
            if (end < 0) {
                throw bad(owner, template, "an unclosed '{'");
            }
            String name = template.substring(i + 1, end).trim();
            String parameter = name.startsWith(QUERY) ? name.substring(QUERY.length()) : name;
            if (parameter.isEmpty() || parameter.indexOf('{') >= 0) {
                throw bad(owner, template, "an empty or nested placeholder");
            }
            if (!name.startsWith(QUERY) && pathParameters != null && !pathParameters.contains(name)) {
                throw bad(owner, template, "the path parameter '" + name + "', which is not one of "
                        + pathParameters);
            }
            parts.add(literal.toString());
            parts.add(name);
            literal.setLength(0);
            i = end + 1;
        }
        parts.add(literal.toString());
        return new TagTemplate(template, parts);
    }

    private static ResponseCacheConfigException bad(String owner, String template, String what) {
        return new ResponseCacheConfigException(owner + ": tag template '" + template + "' has " + what);
    }

    /** Whether the template has no placeholder. */
    public boolean isLiteral() {
        return parts.size() == 1;
    }

    /**
     * The tag for one request.
     *
     * @param pathParameter the value of a path parameter by name, or null
     * @param rawQuery      the request's query string as sent, or null
     */
    public String fill(UnaryOperator<String> pathParameter, String rawQuery) {
        if (isLiteral()) {
            return parts.get(0);
        }
        List<String[]> query = null;
        StringBuilder tag = new StringBuilder(text.length() + 16);
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            if (i % 2 == 0) {
                tag.append(part);
                continue;
            }
            String value;
            if (part.startsWith(QUERY)) {
                if (query == null) {
                    query = CacheKeys.parseQuery(rawQuery);
                    query = query == null ? List.of() : query;
                }
                value = first(query, part.substring(QUERY.length()));
            } else {
                value = pathParameter.apply(part);
            }
            tag.append(value == null ? "" : value);
        }
        return tag.toString();
    }

    /**
     * The tag for one request, as both the storing and the evicting side name it: {@link #fill}, where a value that
     * puts a {@code /} first ({@code {query.category}} sent as {@code %2Fshoes}) has it encoded ({@code %2Fshoes}),
     * since a tag starting with {@code /} would name a path. An absent value leaves its place empty, on both sides.
     */
    public String tag(UnaryOperator<String> pathParameter, String rawQuery) {
        String tag = fill(pathParameter, rawQuery);
        return tag.startsWith("/") ? "%2F" + tag.substring(1) : tag;
    }

    private static String first(List<String[]> query, String name) {
        for (String[] parameter : query) {
            if (parameter[0].equals(name)) {
                return parameter[1];
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
