package dev.responsecache.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.UnifiedJedis;
import redis.embedded.RedisServer;

/**
 * A real Redis for tests. By default a {@code redis-server} process (the binary shipped in embedded-redis) on a
 * free local port, writing nothing to disk. When the environment variable {@code REDIS_URL} names a
 * {@code redis://} server, that server is used instead, behind a local {@link TcpRelay}, so that
 * {@link #stop()} and {@link #start()} still look like a stopped and restarted Redis to the application. Tests keep
 * apart by key prefix, never by flushing, so a shared server is safe to use.
 *
 * <p>A test class that wants one server for all its tests registers {@link #perTestClass()} as a JUnit extension
 * ({@code @RegisterExtension static final RedisTestServer redis = RedisTestServer.perTestClass();}): it starts
 * before the class's first test and is closed after its last.
 */
public final class RedisTestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private RedisServer process;
    private final TcpRelay relay;
    private final URI external;
    private int port;
    /** Whether the address went out ({@link #uri()}): from then on the server keeps its port. */
    private boolean addressGiven;
    private JedisPooled client;

    private RedisTestServer(RedisServer process, TcpRelay relay, URI external, int port) {
        this.process = process;
        this.relay = relay;
        this.external = external;
        this.port = port;
    }

    /** A running server. */
    public static RedisTestServer started() {
        RedisTestServer server = notStarted();
        server.startServer();
        return server;
    }

    /** A server started before the first test of the class that registers it, and closed after its last. */
    public static RedisTestServer perTestClass() {
        return notStarted();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startServer();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** A server whose address is known but which does not answer until {@link #start()}. */
    public static RedisTestServer notStarted() {
        String url = System.getenv("REDIS_URL");
        if (url != null && !url.isBlank()) {
            URI external = URI.create(url.trim());
            if (!"redis".equals(external.getScheme())) {
                throw new IllegalStateException("REDIS_URL must be a redis:// URL: " + url);
            }
            int targetPort = external.getPort() == -1 ? 6379 : external.getPort();
            TcpRelay relay = new TcpRelay(new InetSocketAddress(external.getHost(), targetPort));
            try {
                relay.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            relay.cut();
            return new RedisTestServer(null, relay, external, relay.port());
        }
        int port = LocalPorts.free();
        return new RedisTestServer(process(port), null, null, port);
    }

    private static RedisServer process(int port) {
        try {
            return RedisServer.newRedisServer()
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    // Drain the output once started (readiness is read from it): a full pipe would block Redis.
                    .soutListener(line -> { })
                    .serrListener(line -> { })
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URI the application under test is given. */
    public synchronized String uri() {
        addressGiven = true;
        if (external == null) {
            return "redis://127.0.0.1:" + port + "/0";
        }
        String login = external.getRawUserInfo() == null ? "" : external.getRawUserInfo() + "@";
        String path = external.getRawPath() == null ? "" : external.getRawPath();
        return "redis://" + login + "127.0.0.1:" + port + path;
    }

    /** Starts the server again, on the same port. */
    public void start() {
        startServer();
    }

    /** Stops the server: connections close, and new ones are refused. */
    public synchronized void stop() {
        if (relay != null) {
            relay.cut();
            return;
        }
        try {
            process.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client for assertions and for tampering with entries, straight to the server. */
    public synchronized UnifiedJedis client() {
        if (client == null) {
            // Far beyond any normal reply (Jedis's default is 2 s): a loaded machine makes a test slower, not red.
            client = new JedisPooled(external != null ? external : URI.create(uri()), 30_000);
        }
        return client;
    }

    /** The keys under a prefix (few, in a test: {@code KEYS} is fine here). */
    public Set<String> keys(String prefix) {
        return client().keys(prefix + "*");
    }

    /**
     * Deletes every key under a prefix: what a {@code FLUSHALL} does to one application's data (its entries, index and
     * eviction counter), without touching the keys of other tests on a shared server.
     */
    public void loseEverythingUnder(String prefix) {
        Set<String> keys = keys(prefix);
        if (!keys.isEmpty()) {
            client().del(keys.toArray(String[]::new));
        }
    }

    /** A server setting ({@code CONFIG GET}). */
    public String config(String name) {
        Object reply = client().sendCommand(Protocol.Command.CONFIG, "GET", name);
        List<?> pair = (List<?>) reply;
        return new String((byte[]) pair.get(1), StandardCharsets.UTF_8);
    }

    /** Changes a server setting ({@code CONFIG SET}). */
    public void config(String name, String value) {
        client().sendCommand(Protocol.Command.CONFIG, "SET", name, value);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
        if (relay != null) {
            relay.close();
        } else {
            stop();
        }
    }

    /**
     * Starts the server. A port found free may have been bound by another process since: until its address went out,
     * the server is started on another port then; after, it must keep its port, which {@link LocalPorts} keeps out of
     * the range the kernel hands to connections.
     */
    private synchronized void startServer() {
        if (relay != null) {
            try {
                relay.open();
            } catch (IOException e) {
                throw new UncheckedIOException("could not open the relay on port " + port, e);
            }
            return;
        }
        IOException failed = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            if (process.isActive()) {
                return;
            }
            try {
                process.start();
                return;
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
                if (addressGiven || !portTaken(e)) {
                    break;
                }
                port = LocalPorts.free();
                process = process(port);
            }
        }
        throw new UncheckedIOException("could not start redis-server on port " + port, failed);
    }

    /** Whether redis-server exited because its port was taken (embedded-redis puts its output in the message). */
    private static boolean portTaken(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null && cause.getMessage().contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }
}
