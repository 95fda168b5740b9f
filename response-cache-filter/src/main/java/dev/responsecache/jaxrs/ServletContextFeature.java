package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.core.CacheSettings;
import dev.responsecache.core.SharedCache;
import dev.responsecache.core.UnknownProperties;
import dev.responsecache.servlet.ServletScope;
import dev.responsecache.spi.PropertyValues;

import jakarta.servlet.ServletContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;

import java.util.Map;
import java.util.function.Function;

/**
 * The part of {@link ResponseCacheFeature} that knows servlet types: joins the web application's shared cache when
 * the JAX-RS application runs in a servlet container. Registered as an instance by {@link ResponseCacheFeature} only
 * when the servlet API is present; Jersey and RESTEasy both inject {@code @Context} fields of registered feature
 * instances before configuring them.
 */
final class ServletContextFeature implements Feature {

    @Context
    private ServletContext servletContext;

    @Override
    public boolean configure(FeatureContext context) {
        ServletScope scope = scope();
        if (scope == null) {
            return ResponseCacheFeature.configureOutsideAServletContainer(context);
        }
        Function<String, Object> application = context.getConfiguration()::getProperty;
        SharedCache.Membership membership;
        try {
            PropertyValues properties = SharedCache.properties(scope, application);
            UnknownProperties.check(properties, Map.of(ResponseCacheFeature.APPLICATION_PROPERTIES,
                    context.getConfiguration().getPropertyNames(), "context-params", scope.initParameterNames()));
            membership = SharedCache.join(scope, properties);
            if (membership == null) {
                // Off: the annotations are still checked, so that a bad one fails here and not where the cache is on.
                context.register(CacheBinding.checkingOnly(CacheSettings.from(properties), context, scope));
                return true;
            }
        } catch (ResponseCacheConfigException e) {
            throw SharedCache.refused(e, scope, application);
        }
        context.register(new CacheBinding(membership.cache(), context, scope));
        RuntimeIntegration.offerInvalidator(context, membership.cache().invalidator());
        PurgeFilter.registerIfOn(context, membership.cache());
        TagHeaderFilter.registerIfOn(context, membership.cache().tagHeader());
        PreMatchingHits.register(context, membership.cache());
        GzipAnswer.register(context);
        scope.setAttribute(ResponseCacheInvalidator.ATTRIBUTE, membership.cache().invalidator());
        RuntimeIntegration.closeOnShutdown(context, membership::close,
                scope.closedOnStop() ? null : scope.contextPath());
        return true;
    }

    /** The web application, or null when the runtime has no servlet context to give (not in a servlet container). */
    private ServletScope scope() {
        ServletContext context = servletContext;
        if (context == null) {
            return null;
        }
        try {
            // RESTEasy injects a proxy that finds the context when called, and throws where there is none.
            context.getMajorVersion();
            return new ServletScope(context);
        } catch (RuntimeException notInAServletContainer) {
            return null;
        }
    }
}
