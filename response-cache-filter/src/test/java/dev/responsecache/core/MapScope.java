package dev.responsecache.core;

import java.util.HashMap;
import java.util.Map;

/** A web application's scope without a container: init parameters and attributes in maps. */
final class MapScope implements ApplicationScope {

    final Map<String, String> initParameters = new HashMap<>();
    private final Map<String, Object> attributes = new HashMap<>();
    private final String name;

    /** An application with no name, as {@link ApplicationScope#name()} gives by default. */
    MapScope() {
        this("");
    }

    MapScope(String name) {
        this.name = name;
    }

    @Override
    public String initParameter(String name) {
        return initParameters.get(name);
    }

    @Override
    public Object attribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    @Override
    public String name() {
        return name;
    }
}
