package dev.responsecache.core;

/**
 * What a web application offers every component in it, seen without servlet types: its configuration parameters and
 * a place to keep objects they share (a servlet context's init parameters and attributes).
 */
public interface ApplicationScope {

    /** An application-wide configuration parameter, or null. */
    String initParameter(String name);

    /** An object kept under {@code name}, or null. */
    Object attribute(String name);

    void setAttribute(String name, Object value);

    void removeAttribute(String name);

    /** The application as a log line names it (a servlet context's path); empty when it has no name. */
    default String name() {
        return "";
    }
}
