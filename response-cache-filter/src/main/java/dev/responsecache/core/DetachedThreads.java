package dev.responsecache.core;

/**
 * The cache's own threads. They start on the request that first needs them (a deadline armed, an eviction to
 * replay, a lease to renew) and live until the cache closes: they take nothing of that thread, neither its
 * inheritable thread-locals (a request's values kept alive, and seen where no request is) nor its context class
 * loader (an application's kept from collection after it stopped).
 */
final class DetachedThreads {

    private DetachedThreads() {
    }

    /** A daemon thread named {@code name} that runs {@code task}, not yet started. */
    static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(null, task, name, 0, false);
        thread.setDaemon(true);
        thread.setContextClassLoader(null);
        return thread;
    }
}
