package dev.responsecache.benchmarks;

import java.util.concurrent.Executor;

import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The benchmark app's request threads: Jetty's default pool of platform threads, or, with
 * {@code -D}{@value #VIRTUAL_THREADS}{@code =true}, the same pool handing each request's blocking work to a virtual
 * thread of its own (Jetty's selector and its other non-blocking tasks stay on the pool). The benchmarks compile for
 * Java 17, so the virtual threads are Jetty's {@link VirtualThreads} helper's, which finds them reflectively; on a
 * JVM without them (before Java 21) asking for them fails at start rather than measuring platform threads unawares.
 */
final class RequestThreads {

    /**
     * The system property that asks for virtual request threads; unset or {@code false}: platform threads. Not under
     * {@code responsecache.}: the library rejects system properties there that it does not know.
     */
    static final String VIRTUAL_THREADS = "bench.virtual-threads";

    private RequestThreads() {
    }

    /** Jetty's default pool, with virtual threads for requests when {@value #VIRTUAL_THREADS} asks for them. */
    static QueuedThreadPool pool() {
        return pool(System.getProperty(VIRTUAL_THREADS));
    }

    /** Jetty's default pool, with virtual threads for requests when {@code asked} is {@code true}; null: not asked. */
    static QueuedThreadPool pool(String asked) {
        QueuedThreadPool pool = new QueuedThreadPool();
        if (virtual(asked)) {
            if (!VirtualThreads.areSupported()) {
                throw new IllegalStateException("-D" + VIRTUAL_THREADS + "=true needs a JVM with virtual threads "
                        + "(Java 21 or later); this is Java " + Runtime.version());
            }
            Executor virtualThreads = VirtualThreads.getNamedVirtualThreadsExecutor("bench-request-");
            if (virtualThreads == null) {
                throw new IllegalStateException("Jetty could not create a virtual thread executor on Java "
                        + Runtime.version());
            }
            pool.setVirtualThreadsExecutor(virtualThreads);
        }
        return pool;
    }

    private static boolean virtual(String asked) {
        if (asked == null || asked.equals("false")) {
            return false;
        }
        if (!asked.equals("true")) {
            throw new IllegalArgumentException("-D" + VIRTUAL_THREADS + " takes true or false: " + asked);
        }
        return true;
    }
}
