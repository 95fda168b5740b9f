package dev.responsecache.contract;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The contract application behind {@link LateKeyCheck}, a request filter above the cache's default lookup. */
public class LateKeyCheckApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, ItemsResource.class, LateKeyCheck.class);
    }
}
