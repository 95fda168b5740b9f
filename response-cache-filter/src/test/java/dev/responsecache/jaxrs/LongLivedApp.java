package dev.responsecache.jaxrs;

import org.glassfish.jersey.server.ResourceConfig;

/** {@link LongLivedResource} with the cache, for tests in other packages and stores. */
public final class LongLivedApp {

    private final LongLivedResource resource = new LongLivedResource();

    public ResourceConfig config() {
        return new ResourceConfig().register(resource).register(ResponseCacheFeature.class);
    }

    public int calls() {
        return resource.calls.get();
    }
}
