package dev.responsecache.sample;

import java.net.URL;
import java.util.Objects;

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

    public SampleServer(int port) {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);
        URL webapp = Objects.requireNonNull(SampleServer.class.getClassLoader().getResource("webapp/"),
                "webapp/ missing from the class path");
        WebAppContext context = new WebAppContext();
        context.setContextPath("/");
        context.setBaseResource(ResourceFactory.of(server).newResource(webapp));
        // The application classes are on the launcher's class path, not in WEB-INF/classes.
        context.setParentLoaderPriority(true);
        server.setHandler(context);
    }

    /** With a Redis URL, every sample instance started afterwards in this JVM caches in that Redis. */
    static void useRedis(String redisUrl) {
        if (redisUrl != null && !redisUrl.isBlank()) {
            System.setProperty("responsecache.store", "redis");
            System.setProperty("responsecache.redis.uri", redisUrl);
        }
    }

    public SampleServer start() throws Exception {
        server.start();
        return this;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public void stop() throws Exception {
        server.stop();
    }

    public static void main(String[] args) throws Exception {
        useRedis(System.getenv("REDIS_URL"));
        String port = System.getenv().getOrDefault("PORT", "8080");
        SampleServer sample = new SampleServer(Integer.parseInt(port)).start();
        System.out.println("Sample app on http://localhost:" + sample.port() + "/api/products/1 (store: "
                + System.getProperty("responsecache.store", "ehcache") + ")");
        sample.server.join();
    }
}
