package dev.responsecache.jaxrs;

import dev.responsecache.core.ApplicationScope;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.FeatureContext;

import org.glassfish.jersey.InjectionManagerProvider;
import org.glassfish.jersey.internal.inject.InjectionManager;

/**
 * The servlet context of a Jersey application that runs in a servlet container, as the core's
 * {@link ApplicationScope}, so that the feature shares the web application's cache with its servlet filters. Jersey's
 * servlet container binds the context for injection before it configures features. Loaded only when both Jersey and
 * the servlet API are present.
 */
final class JerseyServletScope implements ApplicationScope {

    private final ServletContext context;

    private JerseyServletScope(ServletContext context) {
        this.context = context;
    }

    /** The scope of the web application, or null when this application is not deployed in a servlet container. */
    static ApplicationScope of(FeatureContext feature) {
        ServletContext context;
        try {
            InjectionManager injection = InjectionManagerProvider.getInjectionManager(feature);
            context = injection.getInstance(ServletContext.class);
        } catch (RuntimeException notInAServletContainer) {
            return null;
        }
        return context == null ? null : new JerseyServletScope(context);
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
