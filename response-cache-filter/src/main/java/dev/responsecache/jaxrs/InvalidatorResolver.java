package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;

import jakarta.ws.rs.ext.ContextResolver;

/**
 * The invalidator for any JAX-RS runtime: {@code @Context Providers providers;
 * providers.getContextResolver(ResponseCacheInvalidator.class, MediaType.WILDCARD_TYPE).getContext(getClass())}.
 * Jersey and RESTEasy also inject {@code @Context ResponseCacheInvalidator} directly (see {@link RuntimeIntegration}).
 */
final class InvalidatorResolver implements ContextResolver<ResponseCacheInvalidator> {

    private final ResponseCacheInvalidator invalidator;

    InvalidatorResolver(ResponseCacheInvalidator invalidator) {
        this.invalidator = invalidator;
    }

    @Override
    public ResponseCacheInvalidator getContext(Class<?> type) {
        return invalidator;
    }
}
