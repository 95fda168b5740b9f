package dev.responsecache.jaxrs;

import dev.responsecache.core.ResponseCache;

import jakarta.ws.rs.core.FeatureContext;

/**
 * Releases the store when a Jersey application stops. Other JAX-RS runtimes have no portable shutdown callback; there
 * the store lives as long as the JVM.
 */
final class JerseyShutdown {

    private static final boolean JERSEY = present("org.glassfish.jersey.server.spi.ContainerLifecycleListener");

    private JerseyShutdown() {
    }

    static void closeOnShutdown(FeatureContext context, ResponseCache cache) {
        if (JERSEY) {
            context.register(new StoreCloser(cache));
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, JerseyShutdown.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
