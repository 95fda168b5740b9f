package dev.responsecache.servlet;

import dev.responsecache.testing.ServletApp;

/** Stale-while-revalidate in the servlet filter over the default store, Ehcache. */
class ServletStaleWhileRevalidateTest extends StaleWhileRevalidateContract {

    @Override
    ServletApp withStore(ServletApp app) {
        return app;
    }
}
