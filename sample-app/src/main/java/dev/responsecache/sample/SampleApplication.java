package dev.responsecache.sample;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;

/** The JAX-RS application: its resources, a demo authentication filter, JSON, and the response cache. */
public final class SampleApplication extends ResourceConfig {

    public SampleApplication() {
        register(ProductResource.class);
        register(GreetingResource.class);
        register(AccountResource.class);
        register(DemoAuthenticationFilter.class);
        register(JacksonFeature.class);
        register(ResponseCacheFeature.class);
    }
}
