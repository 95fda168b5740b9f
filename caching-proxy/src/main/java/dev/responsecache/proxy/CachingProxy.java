package dev.responsecache.proxy;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.servlet.ResponseCacheFilter;
import dev.responsecache.servlet.ResponseCacheListener;

import jakarta.servlet.DispatcherType;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.LogManager;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * A caching reverse proxy: Jetty's {@code ProxyServlet.Transparent} forwards every method and path to one origin,
 * and {@link ResponseCacheFilter} in front of it caches in the header-driven mode ({@code ttl=headers}): what the
 * origin's {@code Cache-Control}, {@code Expires} and {@code Age} allow, for as long as they say, revalidated with
 * conditional requests, evicted by unsafe requests. Clients' {@code no-cache}/{@code max-age} are honoured, as an
 * HTTP cache does ({@code responsecache.honour-client-refresh=true} unless set otherwise).
 *
 * <pre>{@code java [-Dresponsecache.*=...] -jar caching-proxy.jar --origin=http://localhost:8080 [--port=8081]}</pre>
 * ({@code --help} prints the usage).
 */
public final class CachingProxy implements AutoCloseable {

    static final String ORIGIN = "--origin=";
    static final String PORT = "--port=";

    private final Server server;

    private CachingProxy(Server server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        if (Arguments.asksForHelp(args)) {
            // Asked for, so on stdout with status 0, before any argument is judged: the usage says how to fix them.
            System.out.print(Arguments.USAGE);
            return;
        }
        configureLogging();
        Arguments arguments;
        try {
            arguments = Arguments.of(args);
        } catch (IllegalArgumentException bad) {
            // The operator fixes the argument the line names: a stack trace above it would only hide it.
            System.err.println("Caching proxy not started: " + bad.getMessage());
            System.exit(2);
            return;
        }
        CachingProxy proxy;
        try {
            proxy = start(arguments.origin(), arguments.port(), Map.of());
        } catch (Exception e) {
            String reason = startFailure(e, arguments.port());
            if (reason == null) {
                e.printStackTrace(); // not the operator's to fix by changing what they gave: the trace says where
                System.err.println("Caching proxy not started: " + e);
                System.exit(1);
                return;
            }
            // A port in use or a bad responsecache.* setting: as for a bad argument, the line names what to change.
            System.err.println("Caching proxy not started: " + reason);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "caching-proxy-stop"));
        System.out.println("Caching proxy on http://localhost:" + proxy.port() + "/ in front of "
                + arguments.origin());
        proxy.server.join();
    }

    /**
     * The reason a start failed, in one line, when the operator fixes it by changing what they gave: the port (in
     * use, or not allowed) or a {@code responsecache.*} setting; else null.
     */
    static String startFailure(Throwable failure, int port) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                // Jetty's message above it names the address ("Failed to bind to ..."); the BindException says why.
                String where = cause == failure ? "" : failure.getMessage() + ": ";
                return "--port: cannot listen on " + port + " (" + where + bind.getMessage() + ")";
            }
            if (cause instanceof ResponseCacheConfigException configuration) {
                return configuration.getMessage();
            }
        }
        return null;
    }

    /** The command line: the origin and the port; a bad one is named, with its value, by the exception's message. */
    record Arguments(URI origin, int port) {

        static final String HELP = "--help";
        static final String HELP_SHORT = "-h";

        /** What {@link #HELP} prints: every option, named as the lines that report a bad one name it. */
        static final String USAGE = String.join(System.lineSeparator(),
                "Usage: java -jar caching-proxy.jar " + ORIGIN + "<http://host:port> [" + PORT + "<port>]",
                "       java -Dresponsecache.<setting>=<value> ... -jar caching-proxy.jar " + ORIGIN + "...",
                "",
                "A caching reverse proxy: forwards every request to the origin and caches what the origin's",
                "Cache-Control, Expires and Age allow.",
                "",
                "  " + ORIGIN + "<http://host:port>  the origin, an http or https URL without a query (required)",
                "  " + PORT + "<port>                the port to listen on, 0-65535; 0: any free port (default 8081)",
                "  " + HELP_SHORT + ", " + HELP + "                   print this and exit",
                "",
                "Cache settings are system properties before -jar, named as in the library's configuration table",
                "(-Dresponsecache.max-body-size=4MB, -Dresponsecache.store=redis, ...).",
                "");

        /** Whether any argument asks for the usage ({@link #HELP} or {@link #HELP_SHORT}). */
        static boolean asksForHelp(String... args) {
            for (String arg : args) {
                if (HELP.equals(arg) || HELP_SHORT.equals(arg)) {
                    return true;
                }
            }
            return false;
        }

        static Arguments of(String... args) {
            URI origin = null;
            int port = 8081;
            for (String arg : args) {
                if (arg.startsWith(ORIGIN)) {
                    origin = CachingProxy.origin("--origin", arg.substring(ORIGIN.length()));
                } else if (arg.startsWith(PORT)) {
                    port = CachingProxy.port("--port", arg.substring(PORT.length()));
                } else {
                    throw new IllegalArgumentException("unknown argument '" + arg + "' (expected " + ORIGIN
                            + "<http://host:port> and optionally " + PORT + "<port>; " + HELP + " lists them)");
                }
            }
            if (origin == null) {
                throw new IllegalArgumentException(ORIGIN + "<http://host:port> is required");
            }
            return new Arguments(origin, port);
        }
    }

    /**
     * Applies the proxy's {@code logging.properties}, as the sample app does: java.util.logging reads only the JDK's
     * own file unless told, so without this every Jetty and Ehcache INFO line reached the console around the proxy's
     * line and the cache's one line. Read next to this class rather than from the class path's root, where an
     * application's or a test's own {@code logging.properties} would shadow it. A
     * {@code -Djava.util.logging.config.file} (or {@code .class}) given on the command line wins.
     */
    static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        try (InputStream properties = CachingProxy.class.getResourceAsStream("logging.properties")) {
            if (properties != null) {
                LogManager.getLogManager().readConfiguration(properties);
            }
        } catch (IOException e) {
            System.err.println("logging.properties not read, the JDK's logging defaults apply: " + e);
        }
    }

    /**
     * Starts the proxy on {@code port} (0: any free port).
     *
     * @param settings response cache settings for this proxy: a string is a context-param (system properties
     *                 override it), any other value (a {@code java.time.Clock}) a context attribute
     */
    public static CachingProxy start(URI origin, int port, Map<String, ?> settings) throws Exception {
        origin("origin", origin.toString());
        Server server = new Server();
        // The origin's Date and Server go to the client as the origin sent them (stored with the entry, replayed with
        // its Age), rather than this server's own, which the cache would see as set in front of it.
        HttpConfiguration http = new HttpConfiguration();
        http.setSendDateHeader(false);
        http.setSendServerVersion(false);
        // Added once the context has started (below): Jetty binds its connectors' ports first.
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setPort(port);
        ServletContextHandler context = new ServletContextHandler("/");
        Map<String, Object> all = new LinkedHashMap<>();
        // An HTTP cache lets its clients ask for a fresh copy; an application cache need not (see the property).
        all.put(ResponseCacheProperties.HONOUR_CLIENT_REFRESH, "true");
        all.putAll(settings);
        all.forEach((name, value) -> {
            if (value instanceof String text) {
                context.setInitParameter(name, text);
            } else {
                context.setAttribute(name, value);
            }
        });
        context.addEventListener(new ResponseCacheListener());
        // The fields a client's Connection header lists reach neither the origin nor the cache (RFC 9110 7.6.1).
        FilterHolder hopByHop = new FilterHolder(new ConnectionListedFieldsFilter());
        hopByHop.setName("connection-listed-fields");
        context.addFilter(hopByHop, "/*", EnumSet.of(DispatcherType.REQUEST));
        FilterHolder cache = new FilterHolder(ResponseCacheFilter.class);
        cache.setName("cache");
        cache.setInitParameter("ttl", "headers");
        context.addFilter(cache, "/*", EnumSet.of(DispatcherType.REQUEST));
        ReverseProxyServlet servlet = new ReverseProxyServlet(origin);
        // Jetty goes on initialising the servlets after a filter failed (a bad responsecache.* setting), so the
        // servlet's HttpClient starts on the server's threads; the failed context is not stopped, and the server's
        // thread pool then waited for the client's selector and warned "Couldn't stop Thread" above the reason.
        context.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleFailure(LifeCycle failed, Throwable cause) {
                servlet.destroy();
            }
        });
        ServletHolder proxy = new ServletHolder(servlet);
        proxy.setInitParameter("proxyTo", trimmed(origin));
        proxy.setAsyncSupported(true);
        context.addServlet(proxy, "/*");
        server.setHandler(context);
        try {
            // The cache's settings are checked as the context starts, before the port is bound: a bad one fails the
            // start without taking the port, and is named even when the port is in use too.
            server.start();
            server.addConnector(connector);
            if (!connector.isStarted()) {
                connector.start();
            }
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception stopFailure) {
                // The start's own failure is the reason the user must see; the stop's goes with it.
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        return new CachingProxy(server);
    }

    /** The port the proxy listens on. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the proxy", e);
        }
    }

    /** {@code value} as an origin, or an exception naming {@code argument} and the value. */
    private static URI origin(String argument, String value) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawQuery() == null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(argument + ": bad value '" + value + "', expected an http or https URL"
                + " such as http://localhost:8080");
    }

    /** {@code value} as a port, or an exception naming {@code argument} and the value. */
    private static int port(String argument, String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(argument + ": bad value '" + value + "', expected 0-65535");
    }

    private static String trimmed(URI origin) {
        String text = origin.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
