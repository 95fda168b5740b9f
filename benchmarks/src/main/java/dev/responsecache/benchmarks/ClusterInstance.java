package dev.responsecache.benchmarks;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheInitializer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * One application instance of {@link ClusterStampede}, in a JVM of its own so that the harness can kill it:
 * {@code ClusterInstance <redis-uri> <key-prefix> <work-ms> <coalesce-lease>} prints {@code PORT n} once it serves
 * {@code /api/slow?key=...} (cached in Redis, {@code work-ms} of backend work per run, none for keys starting
 * {@code warm-}), {@code /api/stale?key=...} (fresh for 1 s, then stale-while-revalidate for an hour; every run
 * takes {@code work-ms}) and {@code /api/runs} (how many times either method started; the slow one also prints
 * {@code RUN <key>} as a run starts), and serves until its standard input closes or it is killed.
 */
final class ClusterInstance {

    private ClusterInstance() {
    }

    @Path("/")
    public static final class Slow {

        final AtomicLong runs = new AtomicLong();
        private final long workMillis;

        Slow(long workMillis) {
            this.workMillis = workMillis;
        }

        @GET
        @Path("slow")
        @Produces("text/plain")
        @CacheResponse(ttl = 3600)
        public String slow(@QueryParam("key") String key) throws InterruptedException {
            runs.incrementAndGet();
            if (!key.startsWith("warm-")) {
                // Tells the harness at once which instance runs the method (the lease holder it may kill).
                System.out.println("RUN " + key);
                System.out.flush();
            }
            // The backend's work: long enough for every request of the stampede to arrive while it runs (none while
            // the harness warms the instance up).
            if (!key.startsWith("warm-")) {
                Thread.sleep(workMillis);
            }
            return "value of " + key;
        }

        /**
         * Fresh for one second, then answered stale for an hour while one refresh runs: the stale-key rows. The runs
         * after the first (the miss) are refreshes, each {@code work-ms} long.
         */
        @GET
        @Path("stale")
        @Produces("text/plain")
        @CacheResponse(ttl = 1, staleWhileRevalidate = 3600)
        public String stale(@QueryParam("key") String key) throws InterruptedException {
            runs.incrementAndGet();
            Thread.sleep(workMillis);
            return "value of " + key + " at " + System.currentTimeMillis();
        }

        @GET
        @Path("runs")
        @Produces("text/plain")
        public String runs() {
            return Long.toString(runs.get());
        }
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        QueuedThreadPool threads = new QueuedThreadPool(400);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ResourceConfig app = new ResourceConfig()
                .register(new Slow(Long.parseLong(args[2])))
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, args[0])
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, args[1])
                .property(ResponseCacheProperties.COALESCE_LEASE, args[3]);
        context.addServlet(new ServletHolder(new ServletContainer(app)), "/api/*");
        // As a scanning container would: refreshes of stale entries then run after the stale answer is sent.
        context.addServletContainerInitializer(new ResponseCacheInitializer());
        server.setHandler(context);
        server.start();
        System.out.println("PORT " + connector.getLocalPort());
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // serve until the harness closes our input
            }
        } catch (IOException e) {
            // the harness is gone
        }
        server.stop();
    }
}
