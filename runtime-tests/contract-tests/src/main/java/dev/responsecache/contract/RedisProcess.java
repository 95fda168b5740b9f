package dev.responsecache.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/** A real {@code redis-server} process (the binary shipped in embedded-redis) on a free port, writing nothing. */
public final class RedisProcess implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private RedisProcess(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * A server on a port found free; another process may bind that port before the server does, which then exits: it
     * is started again on another port.
     */
    public static RedisProcess started() throws IOException {
        IOException failed = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            RedisServer server = RedisServer.newRedisServer().port(port).setting("save \"\"")
                    .setting("appendonly no").soutListener(line -> { }).serrListener(line -> { }).build();
            try {
                server.start();
                return new RedisProcess(server, port);
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
                if (!portTaken(e)) {
                    break;
                }
            }
        }
        throw failed;
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

    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** The number of client connections the server has open, not counting the one that asks. */
    public int clients() {
        // Far beyond any normal reply (Jedis's default is 2 s): a loaded machine makes the test slower, not red.
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().connectionTimeoutMillis(30_000).socketTimeoutMillis(30_000).build())) {
            return (int) jedis.clientList().lines().filter(line -> !line.isBlank()).count() - 1;
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
