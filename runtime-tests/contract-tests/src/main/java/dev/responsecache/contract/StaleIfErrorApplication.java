package dev.responsecache.contract;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The JAX-RS side of {@link StaleIfErrorParityContract}: the feature and {@link StaleIfErrorResource}. */
public class StaleIfErrorApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, StaleIfErrorResource.class);
    }
}
