package dev.responsecache.redis;

/**
 * The store's own threads. Most start on a request's thread (the first read, a reconnection, a failover heard late)
 * and live as long as the store or its connection: they take nothing of that thread, neither its inheritable
 * thread-locals (a request's values kept alive, and seen where no request is) nor its context class loader (an
 * application's kept from collection after it stopped, reported by Tomcat on a redeploy).
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
