package dev.responsecache.benchmarks;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.spi.ResponseStoreProvider;

import jakarta.servlet.DispatcherType;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.ServiceLoader;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The application the load harness measures: one Jetty server, one servlet context, every row's endpoint in it.
 * Rows for a store or adapter that is not on the class path are left out, and come in by themselves when it is.
 *
 * <p>Run alone: {@code BenchApp [port]} prints {@code PORT n}, then one {@link Row#line()} per row, then
 * {@code READY}, and serves until its standard input closes. With {@code -D}{@value RequestThreads#VIRTUAL_THREADS}
 * {@code =true} (Java 21 or later) each request runs on a virtual thread ({@link RequestThreads}).
 */
final class BenchApp implements AutoCloseable {

    /** The servlet filter's class, named here so the row appears as soon as the filter is on the class path. */
    static final String SERVLET_FILTER = "dev.responsecache.servlet.ResponseCacheFilter";

    private final Server server;
    private final Runs runs = new Runs();
    private final List<Row> rows = new ArrayList<>();
    private final RedisProcess redis;

    private BenchApp(int port) {
        // Jetty's default pool either way (new Server() makes the same one); virtual request threads only when asked.
        server = new Server(RequestThreads.pool());
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ContextHandlerCollection applications = new ContextHandlerCollection(context);
        server.setHandler(applications);

        context.addServlet(new ServletHolder(new StatsServlet(runs)), "/stats");
        context.addServlet(new ServletHolder(new PlainServlet(runs, "plain")), "/plain");
        rows.add(new Row("plain-servlet", "/plain", "plain", false));

        // The default path as users deploy it: a web application of its own, holding the Jersey servlet and what the
        // library's ServletContainerInitializer adds (a deployed WAR's container runs it; embedded Jetty needs it
        // named). The servlet-filter rows below live in another application, so no filter of theirs is in front.
        ServletContextHandler jaxrsApplication = new ServletContextHandler();
        jaxrsApplication.setContextPath("/api");
        jaxrsApplication.addServletContainerInitializer(new ResponseCacheInitializer());
        jaxrsApplication.addServlet(new ServletHolder(new ServletContainer(jersey("", null))), "/*");
        applications.addHandler(jaxrsApplication);
        rows.add(new Row("jersey-uncached", "/api/trivial", "trivial", false));
        rows.add(new Row("jaxrs-hit-ehcache", "/api/cached", "cached", true));
        // The miss path's cost: the same method with a small cost of its own, uncached and cached, every request
        // with a new query (each a miss that stores a 1 KiB entry in Ehcache).
        rows.add(new Row("work-uncached", "/api/work" + Row.FRESH_QUERY, "work", false));
        rows.add(new Row("work-cached-every-request-a-miss", "/api/work-cached" + Row.FRESH_QUERY, "work-cached",
                false));

        redis = hasStore("redis") ? RedisProcess.start() : null;
        if (redis != null) {
            // A web application of its own, deployed as the default path's above (with the library's initializer), so
            // that the rows differ by their store only: every component of one application shares one cache and one
            // store.
            ServletContextHandler redisApplication = new ServletContextHandler();
            redisApplication.setContextPath("/redis");
            redisApplication.setInitParameter(ResponseCacheProperties.STORE, "redis");
            redisApplication.setInitParameter(ResponseCacheProperties.REDIS_URI, redis.uri());
            redisApplication.addServletContainerInitializer(new ResponseCacheInitializer());
            redisApplication.addServlet(new ServletHolder(new ServletContainer(jersey("redis-", redis.uri()))),
                    "/*");
            applications.addHandler(redisApplication);
            rows.add(new Row("jaxrs-hit-redis", "/redis/cached", "redis-cached", true));

            // The same, two-level: each instance keeps hot entries on its heap in front of Redis.
            ServletContextHandler nearApplication = new ServletContextHandler();
            // A path as long as the Ehcache row's (/api/cached) within a character: Jetty's parsing of a longer path
            // (/redis-near/cached: its builders grow past 16 characters) cost this row about 200 ns of CPU per request
            // that the Ehcache row did not pay, in a comparison of the two stores.
            nearApplication.setContextPath("/near");
            nearApplication.setInitParameter(ResponseCacheProperties.STORE, "redis");
            nearApplication.setInitParameter(ResponseCacheProperties.REDIS_URI, redis.uri());
            nearApplication.setInitParameter(ResponseCacheProperties.REDIS_KEY_PREFIX, "near:");
            nearApplication.setInitParameter(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "1000");
            nearApplication.addServletContainerInitializer(new ResponseCacheInitializer());
            nearApplication.addServlet(new ServletHolder(new ServletContainer(jersey("near-", null))), "/*");
            applications.addHandler(nearApplication);
            rows.add(new Row("jaxrs-hit-redis-near-cache", "/near/cached", "near-cached", true));

            // The ceiling of an asynchronous Redis hit, without the library (no row: requested by hand, see
            // docs/PERFORMANCE.md, "Asynchronous Redis hits: the ceiling, measured").
            ServletHolder prototype = new ServletHolder(new AsyncRedisHitServlet(redis.uri()));
            prototype.setAsyncSupported(true);
            context.addServlet(prototype, "/rp/*");
        }

        if (onClassPath(SERVLET_FILTER)) {
            FilterHolder filter = new FilterHolder();
            filter.setClassName(SERVLET_FILTER);
            filter.setInitParameter("ttl", "3600");
            context.addFilter(filter, "/filtered/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new PlainServlet(runs, "filtered")), "/filtered/*");
            rows.add(new Row("servlet-filter-hit", "/filtered/page", "filtered", true));

            // Stale-while-revalidate: an entry expired within its window (refreshes take 1 s and are refused, so it
            // stays so, with about one refresh a second), against a miss of the same servlet paying the backend's
            // usual delay on every request.
            FilterHolder stale = new FilterHolder();
            stale.setClassName(SERVLET_FILTER);
            stale.setInitParameter("ttl", "1");
            stale.setInitParameter("staleWhileRevalidate", "86400");
            context.addFilter(stale, "/stale/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new StaleServlet(runs, "stale", true, 1000)), "/stale/*");
            rows.add(new Row("servlet-filter-stale", "/stale/page", "stale", true));
            FilterHolder missed = new FilterHolder();
            missed.setClassName(SERVLET_FILTER);
            missed.setInitParameter("ttl", "1");
            context.addFilter(missed, "/missed/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new StaleServlet(runs, "missed", false, Catalog.BACKEND_MILLIS)), "/missed/*");
            rows.add(new Row("servlet-filter-miss", "/missed/page", "missed", false));

            // The opt-in early path: the filter answers the JAX-RS entries of the Jersey servlet behind it.
            FilterHolder early = new FilterHolder();
            early.setClassName(SERVLET_FILTER);
            early.setInitParameter("earlyJaxrsHits", "true");
            context.addFilter(early, "/early/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new ServletContainer(jersey("early-", null))), "/early/*");
            rows.add(new Row("jaxrs-early-hit-ehcache", "/early/cached", "early-cached", true));

            // The same two hits in a web application of their own deployed with the library's initializer, as every
            // WAR is: its runner wraps each GET's response in front of the filters.
            ServletContextHandler war = new ServletContextHandler();
            war.setContextPath("/w");
            war.addServletContainerInitializer(new ResponseCacheInitializer());
            FilterHolder warFilter = new FilterHolder();
            warFilter.setClassName(SERVLET_FILTER);
            warFilter.setInitParameter("ttl", "3600");
            war.addFilter(warFilter, "/filtered/*", EnumSet.of(DispatcherType.REQUEST));
            war.addServlet(new ServletHolder(new PlainServlet(runs, "w-filtered")), "/filtered/*");
            FilterHolder warEarly = new FilterHolder();
            warEarly.setClassName(SERVLET_FILTER);
            warEarly.setInitParameter("earlyJaxrsHits", "true");
            war.addFilter(warEarly, "/early/*", EnumSet.of(DispatcherType.REQUEST));
            war.addServlet(new ServletHolder(new ServletContainer(jersey("w-early-", null))), "/early/*");
            applications.addHandler(war);
            rows.add(new Row("servlet-filter-hit-behind-initializer", "/w/filtered/page", "w-filtered", true));
            rows.add(new Row("jaxrs-early-hit-behind-initializer", "/w/early/cached", "w-early-cached", true));
        }

        rows.add(new Row("realistic-uncached", "/api/realistic", "realistic", false));
        rows.add(new Row("realistic-cached", "/api/realistic-cached", "realistic-cached", true));
        if (redis != null) {
            rows.add(new Row("realistic-cached-redis", "/redis/realistic-cached", "redis-realistic-cached", true));
        }

        // Compressed storage (responsecache.compress=gzip) against the rows above, which store the identity body:
        // each store for a client that accepts gzip and for one that does not.
        rows.add(new Row("realistic-cached-gzip-client", "/api/realistic-cached", "realistic-cached", true, true));
        applications.addHandler(compressed("/gz", "gz-", null));
        rows.add(new Row("realistic-compressed", "/gz/realistic-cached", "gz-realistic-cached", true));
        rows.add(new Row("realistic-compressed-gzip-client", "/gz/realistic-cached", "gz-realistic-cached", true,
                true));
        if (redis != null) {
            rows.add(new Row("realistic-cached-redis-gzip-client", "/redis/realistic-cached",
                    "redis-realistic-cached", true, true));
            applications.addHandler(compressed("/redis-gz", "redis-gz-", redis.uri()));
            rows.add(new Row("realistic-compressed-redis", "/redis-gz/realistic-cached",
                    "redis-gz-realistic-cached", true));
            rows.add(new Row("realistic-compressed-redis-gzip-client", "/redis-gz/realistic-cached",
                    "redis-gz-realistic-cached", true, true));
        }
    }

    /**
     * A web application of its own whose cache stores compressible bodies gzipped, deployed as the uncompressed rows'
     * application is (with the library's initializer), so the rows differ by the storage only.
     */
    private ServletContextHandler compressed(String contextPath, String runsPrefix, String redisUri) {
        ServletContextHandler application = new ServletContextHandler();
        application.setContextPath(contextPath);
        application.addServletContainerInitializer(new ResponseCacheInitializer());
        application.setInitParameter(ResponseCacheProperties.COMPRESS, "gzip");
        if (redisUri != null) {
            application.setInitParameter(ResponseCacheProperties.STORE, "redis");
            application.setInitParameter(ResponseCacheProperties.REDIS_URI, redisUri);
            application.setInitParameter(ResponseCacheProperties.REDIS_KEY_PREFIX, "gz:");
        }
        application.addServlet(new ServletHolder(new ServletContainer(jersey(runsPrefix, null))), "/*");
        return application;
    }

    static BenchApp start(int port) {
        BenchApp app = new BenchApp(port);
        try {
            app.server.start();
        } catch (Exception e) {
            app.close();
            throw new IllegalStateException("could not start the benchmark app", e);
        }
        return app;
    }

    private ResourceConfig jersey(String runsPrefix, String redisUri) {
        ResourceConfig config = new ResourceConfig()
                .register(new BenchResource(runs, runsPrefix))
                .register(ResponseCacheFeature.class);
        if (redisUri != null) {
            config.property(ResponseCacheProperties.STORE, "redis");
            config.property(ResponseCacheProperties.REDIS_URI, redisUri);
        }
        return config;
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The running server, for a connector without sockets ({@link HitCpu}). */
    Server server() {
        return server;
    }

    Runs runs() {
        return runs;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }

    private static boolean hasStore(String name) {
        for (ResponseStoreProvider provider : ServiceLoader.load(ResponseStoreProvider.class)) {
            if (provider.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, BenchApp.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        try (BenchApp app = start(args.length > 0 ? Integer.parseInt(args[0]) : 0)) {
            System.out.println("PORT " + app.port());
            app.rows().forEach(row -> System.out.println(row.line()));
            System.out.println("READY");
            System.out.flush();
            // Serve until the harness closes our standard input (or dies, which closes it too).
            while (System.in.read() >= 0) {
                // ignore input
            }
        }
    }
}
