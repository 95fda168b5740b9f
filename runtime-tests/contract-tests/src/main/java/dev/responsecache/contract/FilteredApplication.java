package dev.responsecache.contract;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The contract application with a response filter of the application's own, which runs again on every hit. */
public class FilteredApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, ItemsResource.class, EnteredRuntime.class, AllowAnyOrigin.class);
    }
}
