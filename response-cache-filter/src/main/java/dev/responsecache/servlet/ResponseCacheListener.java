package dev.responsecache.servlet;

import dev.responsecache.core.SharedCache;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Closes the web application's cache, and so its store (its connections and threads), exactly once when the
 * application stops, after its servlets and filters. A JAX-RS runtime gives the feature no portable stop callback;
 * this listener is the portable one.
 *
 * <p>Servlet containers that scan the application's jars for {@code ServletContainerInitializer}s (Tomcat, Jetty with
 * annotations, every Jakarta EE server) add it on their own, through {@link ResponseCacheInitializer}. An embedded
 * server that does not scan needs it added once: {@code context.addEventListener(new ResponseCacheListener())}
 * (Jetty) or {@code context.addApplicationListener(ResponseCacheListener.class.getName())} (Tomcat), or a
 * {@code <listener>} in {@code web.xml}. Adding it twice does no harm.
 */
public final class ResponseCacheListener implements ServletContextListener {

    /** The attribute that tells the JAX-RS feature a listener will close the cache. */
    static final String INSTALLED = ResponseCacheListener.class.getName();

    /** Created by the container (named in {@code web.xml}, or added by {@link ResponseCacheInitializer}). */
    public ResponseCacheListener() {
        // stateless: everything happens in the container's callbacks
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        event.getServletContext().setAttribute(INSTALLED, Boolean.TRUE);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        SharedCache.closeApplication(new ServletScope(event.getServletContext()));
        event.getServletContext().removeAttribute(INSTALLED);
    }
}
