package dev.responsecache.contract;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The feature and {@link QueryKeysResource}, with nothing of the application's in front of the cache. */
public class QueryKeysApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, QueryKeysResource.class);
    }
}
