package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.core.ApplicationScope;
import dev.responsecache.core.PropertyValues;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.core.SharedCache;

import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;

/**
 * Turns on response caching for every resource method (or resource class) annotated with
 * {@link dev.responsecache.annotation.CacheResponse}. Register it once:
 * {@code resourceConfig.register(ResponseCacheFeature.class)}; registering it again does nothing.
 *
 * <p>Configuration ({@link dev.responsecache.ResponseCacheProperties}) is read when the application starts, from
 * system properties and the application's properties; a bad value, or a bad annotation, fails the start-up.
 *
 * <p>In a web application on Jersey's servlet container, the feature also reads the servlet context-params and shares
 * one cache (one store) with every {@link dev.responsecache.servlet.ResponseCacheFilter} of the application: whichever
 * starts first opens it with its configuration, so store settings belong in context-params.
 */
@Provider
public final class ResponseCacheFeature implements Feature {

    @Override
    public boolean configure(FeatureContext context) {
        Configuration configuration = context.getConfiguration();
        if (configuration.isRegistered(CacheBinding.class)) {
            return true;
        }
        ApplicationScope servletScope = JerseyIntegration.servletScope(context);
        if (servletScope != null) {
            SharedCache.Membership membership = SharedCache.join(servletScope,
                    SharedCache.properties(servletScope, configuration::getProperty));
            if (membership == null) {
                return false;
            }
            context.register(new CacheBinding(membership.cache()));
            context.property(ResponseCacheInvalidator.ATTRIBUTE, membership.cache().invalidator());
            servletScope.setAttribute(ResponseCacheInvalidator.ATTRIBUTE, membership.cache().invalidator());
            JerseyIntegration.closeOnShutdown(context, membership::close);
            return true;
        }
        ResponseCache cache = ResponseCache.start(new PropertyValues(name -> {
            String system = System.getProperty(name);
            return system != null ? system : configuration.getProperty(name);
        }));
        if (cache == null) {
            return false;
        }
        context.register(new CacheBinding(cache));
        context.property(ResponseCacheInvalidator.ATTRIBUTE, cache.invalidator());
        JerseyIntegration.closeOnShutdown(context, cache::close);
        return true;
    }
}
