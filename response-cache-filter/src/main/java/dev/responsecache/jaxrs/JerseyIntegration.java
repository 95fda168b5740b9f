package dev.responsecache.jaxrs;

import dev.responsecache.core.ApplicationScope;

import jakarta.ws.rs.core.FeatureContext;

/**
 * Jersey-only integration: releasing the cache when a Jersey application stops, and finding the servlet context a
 * Jersey application runs in. Other JAX-RS runtimes have no portable shutdown callback; there the store lives as long
 * as the JVM, and the feature keeps a cache of its own.
 */
final class JerseyIntegration {

    private static final boolean JERSEY = present("org.glassfish.jersey.server.spi.ContainerLifecycleListener");
    private static final boolean JERSEY_SERVLET = JERSEY && present("jakarta.servlet.ServletContext")
            && present("org.glassfish.jersey.InjectionManagerProvider");

    private JerseyIntegration() {
    }

    static void closeOnShutdown(FeatureContext context, Runnable release) {
        if (JERSEY) {
            context.register(new StoreCloser(release));
        }
    }

    /** The servlet context the application runs in, or null. */
    static ApplicationScope servletScope(FeatureContext context) {
        return JERSEY_SERVLET ? JerseyServletScope.of(context) : null;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, JerseyIntegration.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
