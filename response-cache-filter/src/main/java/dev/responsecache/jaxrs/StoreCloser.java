package dev.responsecache.jaxrs;

import org.glassfish.jersey.server.spi.Container;
import org.glassfish.jersey.server.spi.ContainerLifecycleListener;

/**
 * Releases the cache when the Jersey container shuts down: closes it (and so its store), or leaves the web
 * application's shared cache. Loaded only when Jersey is present.
 */
final class StoreCloser implements ContainerLifecycleListener {

    private final Runnable release;

    StoreCloser(Runnable release) {
        this.release = release;
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
        release.run();
    }
}
