package dev.responsecache.testing;

import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A web application described once and deployed on any {@link Container}: filters in declaration order (each with
 * its init-params, for requests only), servlets, context-params, context attributes, and initializers run at the
 * context's start before any of them is declared (as a scan finds the library's own).
 */
public final class ServletApp {

    record FilterSpec(String name, Filter filter, String pattern, Map<String, String> params) {
    }

    record ServletSpec(String name, Servlet servlet, String pattern, Map<String, String> params) {
    }

    final List<FilterSpec> filters = new ArrayList<>();
    final List<ServletSpec> servlets = new ArrayList<>();
    final Map<String, String> contextParams = new LinkedHashMap<>();
    final Map<String, Object> attributes = new LinkedHashMap<>();
    final List<ServletContainerInitializer> initializers = new ArrayList<>();
    /** Served by the container's own default servlet, mapped to {@code /}, when set. */
    Path staticFiles;

    /** A filter on {@code pattern}; {@code params} are init-param name, value pairs. */
    public ServletApp filter(String name, Filter filter, String pattern, String... params) {
        filters.add(new FilterSpec(name, filter, pattern, pairs(params)));
        return this;
    }

    /** A servlet on {@code pattern}; {@code params} are init-param name, value pairs. */
    public ServletApp servlet(String name, Servlet servlet, String pattern, String... params) {
        servlets.add(new ServletSpec(name, servlet, pattern, pairs(params)));
        return this;
    }

    private static Map<String, String> pairs(String... params) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            map.put(params[i], params[i + 1]);
        }
        return map;
    }

    public ServletApp contextParam(String name, String value) {
        contextParams.put(name, value);
        return this;
    }

    /** The container's default servlet on {@code /}, serving the files under {@code directory}. */
    public ServletApp staticFiles(Path directory) {
        staticFiles = directory;
        return this;
    }

    public ServletApp attribute(String name, Object value) {
        attributes.put(name, value);
        return this;
    }

    /** Runs {@code initializer} as the context starts, in the order given, before the filters and servlets above. */
    public ServletApp initializer(ServletContainerInitializer initializer) {
        initializers.add(initializer);
        return this;
    }
}
