package dev.responsecache.contract;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.core.Application;

import java.util.Set;

/** {@link SunsetResource} behind {@link SunsetHeaders}, which reads the annotations the entity is written with. */
public class SunsetApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, SunsetResource.class, SunsetHeaders.class,
                SunsetResource.Retired.class);
    }
}
