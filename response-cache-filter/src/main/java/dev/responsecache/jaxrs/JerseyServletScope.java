package dev.responsecache.jaxrs;

import dev.responsecache.core.ApplicationScope;
import dev.responsecache.servlet.ServletScope;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.FeatureContext;

import org.glassfish.jersey.InjectionManagerProvider;
import org.glassfish.jersey.internal.inject.InjectionManager;

/**
 * Finds the servlet context of a Jersey application that runs in a servlet container, so that the feature shares the
 * web application's cache with its servlet filters. Jersey's servlet container binds the context for injection before
 * it configures features. Loaded only when both Jersey and the servlet API are present.
 */
final class JerseyServletScope {

    private JerseyServletScope() {
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
        return context == null ? null : new ServletScope(context);
    }
}
