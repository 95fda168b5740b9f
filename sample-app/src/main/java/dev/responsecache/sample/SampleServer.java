package dev.responsecache.sample;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.servlet.ResponseCacheInitializer;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.URL;
import java.util.Objects;
import java.util.logging.LogManager;

import jakarta.servlet.ServletContext;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Runs the sample on embedded Jetty, configured by the same {@code WEB-INF/web.xml} the WAR carries.
 * {@code PORT} (default 8080) sets the port; {@code REDIS_URL} (e.g. {@code redis://localhost:6379}) switches the
 * store to Redis, so several instances share one cache.
 */
public final class SampleServer {

    private final Server server;
    private final ServerConnector connector;
    private final WebAppContext context;

    public SampleServer(int port) {
        server = new Server();
        // Added once the web application has started (start()): Jetty binds its connectors' ports first.
        connector = new ServerConnector(server);
        connector.setPort(port);
        URL webapp = Objects.requireNonNull(SampleServer.class.getClassLoader().getResource("webapp/"),
                "webapp/ missing from the class path");
        WebAppContext context = new WebAppContext();
        context.setContextPath("/");
        context.setBaseResource(ResourceFactory.of(server).newResource(webapp));
        // The application classes are on the launcher's class path, not in WEB-INF/classes.
        context.setParentLoaderPriority(true);
        // A bad setting fails the start instead of leaving a server that answers 503 to everything.
        context.setThrowUnavailableOnStartupException(true);
        // A container deploying the WAR finds the library's initializer by scanning; this launcher has no annotation
        // scanning (no jetty-ee10-annotations), so it adds it as docs/RUNTIMES.md tells embedded servers to. Without
        // it the jar ran the degraded path: stale-while-revalidate refreshes inline, no staleIfErrorDeadline.
        context.addServletContainerInitializer(new ResponseCacheInitializer());
        this.context = context;
        server.setHandler(context);
    }

    /** The web application's servlet context, once started. */
    ServletContext servletContext() {
        return context.getServletContext();
    }

    /** With a Redis URL, every sample instance started afterwards in this JVM caches in that Redis. */
    static void useRedis(String redisUrl) {
        if (redisUrl != null && !redisUrl.isBlank()) {
            System.setProperty("responsecache.store", "redis");
            System.setProperty("responsecache.redis.uri", redisUrl);
        }
    }

    /**
     * Starts the web application, then binds the port: a bad setting fails the start before the port is taken (Jetty
     * binds its connectors' ports before it starts the handlers, so that a start failing on a setting held the port,
     * accepting connections, and one whose port was in use named the port, not the setting). If either fails, the
     * server is stopped and the failure thrown.
     */
    public SampleServer start() throws Exception {
        try {
            server.start();
            server.addConnector(connector);
            if (!connector.isStarted()) {
                connector.start();
            }
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        return this;
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value for PORT: '" + text + "' (expected a port number)", e);
        }
    }

    /** The configuration error's own words when there is one (the container wraps it), else the failure itself. */
    static String reason(Throwable failure) {
        Throwable configurationError = configurationError(failure);
        if (configurationError instanceof BindException) {
            // Jetty's "Failed to bind to ..." above it names the address; the BindException alone only says why.
            return failure.getMessage() + ": " + configurationError.getMessage() + " (set PORT to a free port)";
        }
        return configurationError == null ? failure.toString() : configurationError.getMessage();
    }

    /** A bad setting: one the operator fixes by changing it, so its reason is enough and a stack trace is noise. */
    private static Throwable configurationError(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ResponseCacheConfigException || cause instanceof IllegalArgumentException
                    || cause instanceof BindException) {
                return cause;
            }
        }
        return null;
    }

    public int port() {
        return connector.getLocalPort();
    }

    public void stop() throws Exception {
        server.stop();
    }

    /**
     * Applies the sample's {@code logging.properties}: java.util.logging reads only the JDK's own file unless told,
     * so without this every Jetty and Ehcache INFO line and Jersey's WADL warning reached the console around the
     * cache's one line. A {@code -Djava.util.logging.config.file} (or {@code .class}) given on the command line wins.
     */
    static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        try (InputStream properties = SampleServer.class.getResourceAsStream("/logging.properties")) {
            if (properties != null) {
                LogManager.getLogManager().readConfiguration(properties);
            }
        } catch (IOException e) {
            System.err.println("logging.properties not read, the JDK's logging defaults apply: " + e);
        }
    }

    /**
     * Refuses any command-line argument: the sample takes none, and {@code java -jar sample-app.jar
     * -Dresponsecache.max-body-size=12XB}, an option written after the jar, ran the sample with the option ignored.
     */
    static void noArguments(String... args) {
        if (args.length > 0) {
            throw new IllegalArgumentException("unexpected argument '" + args[0] + "': the sample takes none (JVM"
                    + " options such as -Dresponsecache.max-body-size=512KB go before -jar; PORT and REDIS_URL are"
                    + " environment variables)");
        }
    }

    /** Starts the sample, or exits with status 1 and the reason when a setting is bad or the port is taken. */
    public static void main(String[] args) throws Exception {
        configureLogging();
        SampleServer sample;
        try {
            noArguments(args);
            useRedis(System.getenv("REDIS_URL"));
            sample = new SampleServer(port(System.getenv().getOrDefault("PORT", "8080"))).start();
        } catch (Exception e) {
            if (configurationError(e) == null) {
                e.printStackTrace(); // logging.properties keeps Jetty's report of a failed start quiet
            }
            System.err.println("Sample app not started: " + reason(e));
            System.exit(1);
            return;
        }
        System.out.println("Sample app on http://localhost:" + sample.port() + "/api/products/1 (store: "
                + System.getProperty("responsecache.store", "ehcache") + ")");
        sample.server.join();
    }
}
