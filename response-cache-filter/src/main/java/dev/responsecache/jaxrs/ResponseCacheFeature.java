package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.core.CacheSettings;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SharedCache;
import dev.responsecache.core.UnknownProperties;
import dev.responsecache.spi.PropertyValues;

import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;

/**
 * Turns on response caching for every resource method (or resource class) annotated with
 * {@link dev.responsecache.annotation.CacheResponse}. Register it once:
 * {@code resourceConfig.register(ResponseCacheFeature.class)} (Jersey), a class in {@code Application#getClasses()}
 * (any runtime); registering it again does nothing.
 *
 * <p>Configuration ({@link dev.responsecache.ResponseCacheProperties}) is read when the application starts, from
 * system properties, environment variables, the application's properties ({@code Application#getProperties()}) and,
 * in a servlet container, the context-params; a bad value, an unknown {@code responsecache.*} key, or a bad
 * annotation, fails the start-up.
 *
 * <p>In a servlet container the feature shares one cache (one store) with every
 * {@link dev.responsecache.servlet.ResponseCacheFilter} of the web application, and the cache is closed when the
 * application stops ({@link dev.responsecache.servlet.ResponseCacheListener}). Portable: it finds the servlet context
 * through {@code @Context}, on Jersey and RESTEasy alike.
 */
@Provider
public final class ResponseCacheFeature implements Feature {

    private static final boolean SERVLET_API = present("jakarta.servlet.ServletContext");
    /** Where a misspelt key given to the application is said to be found. */
    static final String APPLICATION_PROPERTIES = "the application's properties";

    /** Registered by class or instance; reads its configuration from the application when the runtime configures it. */
    public ResponseCacheFeature() {
        // stateless: everything happens in the container's callbacks
    }

    @Override
    public boolean configure(FeatureContext context) {
        Configuration configuration = context.getConfiguration();
        if (configuration.isRegistered(CacheBinding.class) || configuration.isRegistered(ServletContextFeature.class)) {
            return true;
        }
        if (SERVLET_API) {
            // A feature of its own, so that this class names no servlet type and loads where there is no servlet API.
            context.register(new ServletContextFeature());
            return true;
        }
        return configureOutsideAServletContainer(context);
    }

    /** A cache of the application's own, closed when the runtime says it stops (Jersey) or with the JVM. */
    static boolean configureOutsideAServletContainer(FeatureContext context) {
        Configuration configuration = context.getConfiguration();
        ResponseCache cache;
        try {
            PropertyValues properties = SharedCache.properties(configuration::getProperty);
            UnknownProperties.check(properties, Map.of(APPLICATION_PROPERTIES, configuration.getPropertyNames()));
            cache = ResponseCache.start(properties);
            if (cache == null) {
                // Off: the annotations are still checked, so that a bad one fails here and not where the cache is on.
                context.register(CacheBinding.checkingOnly(CacheSettings.from(properties), context, null));
                return true;
            }
        } catch (ResponseCacheConfigException e) {
            throw SharedCache.refused(e, null, configuration::getProperty);
        }
        context.register(new CacheBinding(cache, context, null));
        RuntimeIntegration.offerInvalidator(context, cache.invalidator());
        PurgeFilter.registerIfOn(context, cache);
        TagHeaderFilter.registerIfOn(context, cache.tagHeader());
        PreMatchingHits.register(context, cache);
        GzipAnswer.register(context);
        RuntimeIntegration.closeOnShutdown(context, cache::close, "");
        return true;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, ResponseCacheFeature.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
