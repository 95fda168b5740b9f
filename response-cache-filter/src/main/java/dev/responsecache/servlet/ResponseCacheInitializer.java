package dev.responsecache.servlet;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;

import java.util.Set;

/**
 * Adds the {@link ResponseCacheListener} to every web application that has this library, so that its cache is
 * closed when it stops. Found by the container through
 * {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}; public only because the container
 * instantiates it.
 */
public final class ResponseCacheInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(ResponseCacheListener.class);
    }
}
