package dev.responsecache.contract;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The contract application with response filters of the application's own, which run again on every hit. */
public class FilteredApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, ItemsResource.class, EnteredRuntime.class, AllowAnyOrigin.class,
                EdgeCacheStatus.class);
    }
}
