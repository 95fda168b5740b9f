package dev.responsecache.servlet;

import dev.responsecache.core.ApplicationScope;

import jakarta.servlet.ServletContext;

import java.util.Collections;
import java.util.Objects;

/**
 * A servlet context as the core's {@link ApplicationScope}: context-params and context attributes. Public for the
 * JAX-RS feature, which shares the web application's cache with its servlet filters through it; not for applications.
 */
// "exports": its supertype lives in the core, which the module does not export. Applications have no use for this
// class (it is public for the JAX-RS adapter, a package of this module), so they need not see that type either.
@SuppressWarnings("exports")
public final class ServletScope implements ApplicationScope {

    private final ServletContext context;

    public ServletScope(ServletContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Whether the {@link ResponseCacheListener} will close this application's cache when it stops. */
    public boolean closedOnStop() {
        return context.getAttribute(ResponseCacheListener.INSTALLED) != null;
    }

    /** The application's context path, to name it in a log line ("" for the root application). */
    public String contextPath() {
        return context.getContextPath();
    }

    /** The context path, {@code /} for the root application. */
    @Override
    public String name() {
        String path = context.getContextPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** The names of the context-params, to refuse a misspelt {@code responsecache.*} one. */
    public Iterable<String> initParameterNames() {
        return Collections.list(context.getInitParameterNames());
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
