package dev.responsecache.benchmarks;

import dev.responsecache.annotation.CacheResponse;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheInitializer;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;

import java.util.List;
import java.util.Set;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

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
        Server server = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        try {
            System.out.println("PORT " + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
            for (Row row : ROWS) {
                System.out.println(row.line());
            }
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the harness closes our standard input
            }
        } finally {
            server.stop();
        }
    }

    /**
     * The trivial resource and the cached method in an application without the library's initializer (so a hit is
     * answered inside RESTEasy, before matching where it may), and the cached method again in an application that
     * runs it, as a deployed WAR's container does (where a hit may be answered in front of RESTEasy).
     */
    static final List<Row> ROWS = List.of(new Row("resteasy-uncached", "/api/trivial", "trivial", false),
            new Row("resteasy-jaxrs-hit-ehcache", "/api/cached", "cached", true),
            new Row("resteasy-jaxrs-hit-ehcache-war", "/war/api/cached", "cached", true));

    /** RESTEasy on Jetty, started on {@code port} (0: any free one). */
    static Server start(int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new StatsServlet(RUNS)), "/stats");
        context.addServlet(resteasy(), "/api/*");
        ServletContextHandler war = new ServletContextHandler();
        war.setContextPath("/war");
        war.addServletContainerInitializer(new ResponseCacheInitializer());
        war.addServlet(resteasy(), "/api/*");
        server.setHandler(new ContextHandlerCollection(context, war));
        server.start();
        return server;
    }

    private static ServletHolder resteasy() {
        ServletHolder resteasy = new ServletHolder();
        resteasy.setClassName(DISPATCHER);
        resteasy.setInitParameter("jakarta.ws.rs.Application", Trivial.class.getName());
        resteasy.setInitParameter("resteasy.servlet.mapping.prefix", "/api");
        return resteasy;
    }

    /**
     * Bytes the server allocates per request on the RESTEasy rows, as {@link HitAllocation} measures the others (run
     * on the RESTEasy class path, as {@code LoadHarness} runs this app). Usage: {@code ResteasyApp$Allocation
     * [requests=20000]}.
     */
    static final class Allocation {
        private Allocation() {
        }

        public static void main(String[] args) throws Exception {
            Logging.quiet();
            Server server = start(0);
            try {
                HitAllocation.measure(((ServerConnector) server.getConnectors()[0]).getLocalPort(), ROWS, null,
                        args.length > 0 ? Integer.parseInt(args[0]) : 20_000);
            } finally {
                server.stop();
            }
        }
    }
}
