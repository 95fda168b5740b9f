package dev.responsecache.servlet;

import dev.responsecache.testing.ServletApp;

/** The claim of an asynchronous refresh that never ended, over the embedded store (Ehcache). */
class AsynchronousRefreshWhoseDispatchThrewHeldItsKeyForTheWholeWindowTest
        extends AsynchronousRefreshWhoseDispatchThrewHeldItsKeyForTheWholeWindowContract {

    @Override
    ServletApp withStore(ServletApp app, boolean coalescing) {
        return app;
    }
}
