package dev.responsecache.contract;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.core.Application;

import java.util.Set;

/** The application every runtime deploys: the feature, the cached resource, the entry counter. */
public class ContractApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(ResponseCacheFeature.class, ItemsResource.class, EnteredRuntime.class,
                BackendUnavailable.Mapper.class, WrittenLifetime.Writer.class);
    }
}
