package dev.responsecache.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A web application as a deployment descriptor would declare it, for any container to deploy: context-params,
 * context attributes (programmatic values such as a clock), cache filters, the report servlet under
 * {@code /reports/*}, and a JAX-RS application under {@code /api/*}.
 */
public final class WebApp {

    /** A filter declared in front of a URL pattern. */
    public record FilterSpec(String name, String className, Map<String, String> initParams, String urlPattern) {
    }

    /** A servlet mapped to a URL pattern, besides the report servlet and the JAX-RS runtime's. */
    public record ServletSpec(String name, String className, String urlPattern) {
    }

    private final Map<String, String> contextParams = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private final List<FilterSpec> filters = new ArrayList<>();
    private final List<String> listeners = new ArrayList<>();
    private final List<ServletSpec> servlets = new ArrayList<>();
    private String application;
    private boolean scansInitializers = true;

    public WebApp contextParam(String name, String value) {
        contextParams.put(name, value);
        return this;
    }

    public WebApp attribute(String name, Object value) {
        attributes.put(name, value);
        return this;
    }

    /** A {@code ResponseCacheFilter} with {@code initParams} (name, value pairs) in front of {@code urlPattern}. */
    public WebApp cacheFilter(String name, String urlPattern, String... initParams) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < initParams.length; i += 2) {
            params.put(initParams[i], initParams[i + 1]);
        }
        filters.add(new FilterSpec(name, "dev.responsecache.servlet.ResponseCacheFilter", params, urlPattern));
        return this;
    }

    /** A filter of the application's, {@code filterClass}, in front of {@code urlPattern}, as web.xml declares one. */
    public WebApp filter(String name, Class<? extends jakarta.servlet.Filter> filterClass, String urlPattern) {
        filters.add(new FilterSpec(name, filterClass.getName(), Map.of(), urlPattern));
        return this;
    }

    /** The JAX-RS application class, deployed under {@code /api/*} with the runtime's servlet. */
    public WebApp jaxrs(Class<? extends jakarta.ws.rs.core.Application> application) {
        this.application = application.getName();
        return this;
    }

    /** A listener declared as {@code <listener>} in {@code web.xml} would declare it. */
    public WebApp listener(Class<? extends java.util.EventListener> listener) {
        listeners.add(listener.getName());
        return this;
    }

    /**
     * Whether the container runs the {@code ServletContainerInitializer}s of the application's libraries, as a
     * deployed WAR does; on by default.
     */
    public WebApp scansInitializers(boolean scans) {
        this.scansInitializers = scans;
        return this;
    }

    public Map<String, String> contextParams() {
        return Map.copyOf(contextParams);
    }

    public Map<String, Object> attributes() {
        return Map.copyOf(attributes);
    }

    public List<FilterSpec> filters() {
        return List.copyOf(filters);
    }

    public List<String> listeners() {
        return List.copyOf(listeners);
    }

    /** The JAX-RS application class name, or null. */
    public String application() {
        return application;
    }

    public boolean scansInitializers() {
        return scansInitializers;
    }

    /** One more servlet, as {@code web.xml} would declare it (asynchronous support on, as for the others). */
    public WebApp servlet(String name, Class<? extends jakarta.servlet.http.HttpServlet> servlet, String urlPattern) {
        servlets.add(new ServletSpec(name, servlet.getName(), urlPattern));
        return this;
    }

    public List<ServletSpec> servlets() {
        return List.copyOf(servlets);
    }
}
