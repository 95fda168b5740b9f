package dev.responsecache.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;

import java.util.EnumSet;
import java.util.Set;

/**
 * Adds the {@link ResponseCacheListener} to every web application that has this library, so that its cache is
 * closed when it stops, and the {@link RefreshRunner} in front of every filter, so that a JAX-RS resource method
 * answered stale-while-revalidate is refreshed after its client has the stale answer. A container that scans for
 * initializers (one that deploys WARs, Jetty with annotations) finds it through
 * {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}; an embedded server that does not scan adds
 * it once, before it starts: {@code context.addServletContainerInitializer(new ResponseCacheInitializer())} on
 * Jetty, {@code context.addServletContainerInitializer(new ResponseCacheInitializer(), Set.of())} on Tomcat. It is
 * public for both.
 */
public final class ResponseCacheInitializer implements ServletContainerInitializer {

    /** Created by the container, which finds it through {@code ServiceLoader}, or by an embedded server's launcher. */
    public ResponseCacheInitializer() {
        // stateless: everything happens in the container's callbacks
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        context.addListener(ResponseCacheListener.class);
        FilterRegistration.Dynamic refresh = context.addFilter(RefreshRunner.NAME, new RefreshRunner());
        if (refresh != null) {
            // First (not after the filters web.xml declares): a refresh runs the request through all of them again.
            refresh.setAsyncSupported(true);
            refresh.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        }
    }
}
