package dev.responsecache.benchmarks;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The application of the small-heap soak ({@link SmallHeapSoak}): one cached JAX-RS method serving a 64 KiB body
 * per distinct id, and {@code /heap}, which reports the heap in use after the latest collection and the time spent
 * collecting. Run in its own JVM with the heap under test ({@code -Xmx128m}); configured by system properties.
 */
final class SoakApp {

    static final int BODY = 64 * 1024;

    private SoakApp() {
    }

    @Path("blob")
    public static final class Blobs {

        private static final byte[] BLOB = Fixtures.body(BODY, 0);

        @GET
        @Path("{id}")
        @Produces("application/octet-stream")
        @CacheResponse(ttl = 3600)
        public byte[] blob(@PathParam("id") String id) {
            return BLOB;
        }
    }

    /** {@code heap-after-gc-bytes gc-count gc-millis}. */
    static final class HeapServlet extends HttpServlet {

        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            long afterGc = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage usage = pool.getCollectionUsage();
                if (pool.getType() == MemoryType.HEAP && usage != null) {
                    afterGc += usage.getUsed();
                }
            }
            long count = 0;
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            response.setContentType("text/plain");
            response.getWriter().write(afterGc + " " + count + " " + millis);
        }
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new ServletContainer(new ResourceConfig()
                .register(Blobs.class).register(ResponseCacheFeature.class))), "/api/*");
        context.addServlet(new ServletHolder(new HeapServlet()), "/heap");
        server.setHandler(context);
        server.start();
        System.out.println("PORT " + connector.getLocalPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Serve until the driver closes our standard input.
        }
        server.stop();
    }
}
