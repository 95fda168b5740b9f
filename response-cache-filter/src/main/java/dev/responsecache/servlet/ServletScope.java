package dev.responsecache.servlet;

import dev.responsecache.core.ApplicationScope;

import jakarta.servlet.ServletContext;

/** A servlet context as the core's {@link ApplicationScope}: context-params and context attributes. */
final class ServletScope implements ApplicationScope {

    private final ServletContext context;

    ServletScope(ServletContext context) {
        this.context = context;
    }

    @Override
    public String initParameter(String name) {
        return context.getInitParameter(name);
    }

    @Override
    public Object attribute(String name) {
        return context.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        context.setAttribute(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        context.removeAttribute(name);
    }
}
