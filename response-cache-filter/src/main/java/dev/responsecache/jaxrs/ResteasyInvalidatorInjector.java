package dev.responsecache.jaxrs;

import dev.responsecache.ResponseCacheInvalidator;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import org.jboss.resteasy.spi.ContextInjector;

/**
 * Answers RESTEasy's {@code @Context ResponseCacheInvalidator} (RESTEasy asks its registered context injectors for a
 * type it does not know). Loaded only when RESTEasy is present.
 */
final class ResteasyInvalidatorInjector implements ContextInjector<ResponseCacheInvalidator, ResponseCacheInvalidator> {

    private final ResponseCacheInvalidator invalidator;

    ResteasyInvalidatorInjector(ResponseCacheInvalidator invalidator) {
        this.invalidator = invalidator;
    }

    @Override
    public ResponseCacheInvalidator resolve(Class<? extends ResponseCacheInvalidator> rawType, Type genericType,
                                            Annotation[] annotations) {
        return invalidator;
    }
}
