package dev.responsecache.jaxrs;

import dev.responsecache.core.ResponseCache;

import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.server.spi.ContainerLifecycleListener;

/** Closes the cache (and so its store) when the Jersey container shuts down. Loaded only when Jersey is present. */
final class StoreCloser implements ContainerLifecycleListener {

    private final ResponseCache cache;

    StoreCloser(ResponseCache cache) {
        this.cache = cache;
    }

    @Override
    public void onStartup(Container container) {
        // nothing to do: the store opened when the feature was configured
    }

    @Override
    public void onReload(Container container) {
        // a reload configures the feature again, with a new cache; this one is closed by onShutdown
    }

    @Override
    public void onShutdown(Container container) {
        cache.close();
    }
}
