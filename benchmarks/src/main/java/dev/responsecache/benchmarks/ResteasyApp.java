package dev.responsecache.benchmarks;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;

import java.util.Set;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The RESTEasy rows: RESTEasy's trivial resource returning the same 1 KiB body, on the same Jetty, and the same body
 * cached by {@link ResponseCacheFeature} on RESTEasy. Run in a JVM
 * of its own whose class path holds RESTEasy instead of Jersey (both provide the JAX-RS {@code RuntimeDelegate}),
 * so this class names no RESTEasy type: the servlet is loaded by name. Speaks the {@link BenchApp} protocol.
 */
final class ResteasyApp {

    private static final Runs RUNS = new Runs();
    static final String DISPATCHER = "org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher";

    private ResteasyApp() {
    }

    /** The application RESTEasy instantiates from the servlet's init-param: the trivial resource only. */
    public static final class Trivial extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(TrivialResource.class, ResponseCacheFeature.class);
        }
    }

    @Path("/")
    @Produces(Bodies.TYPE)
    public static final class TrivialResource {
        @GET
        @Path("trivial")
        public byte[] trivial() {
            RUNS.ran("trivial");
            return Bodies.ONE_KIB;
        }

        @GET
        @Path("cached")
        @CacheResponse(ttl = 3600)
        public byte[] cached() {
            RUNS.ran("cached");
            return Bodies.ONE_KIB;
        }
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new StatsServlet(RUNS)), "/stats");
        ServletHolder resteasy = new ServletHolder();
        resteasy.setClassName(DISPATCHER);
        resteasy.setInitParameter("jakarta.ws.rs.Application", Trivial.class.getName());
        resteasy.setInitParameter("resteasy.servlet.mapping.prefix", "/api");
        context.addServlet(resteasy, "/api/*");
        server.setHandler(context);
        server.start();
        try {
            System.out.println("PORT " + connector.getLocalPort());
            System.out.println(new Row("resteasy-uncached", "/api/trivial", "trivial", false).line());
            System.out.println(new Row("resteasy-jaxrs-hit-ehcache", "/api/cached", "cached", true).line());
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the harness closes our standard input
            }
        } finally {
            server.stop();
        }
    }
}
