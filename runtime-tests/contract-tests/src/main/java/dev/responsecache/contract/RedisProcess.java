package dev.responsecache.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

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

    public static RedisProcess started() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().port(port).setting("save \"\"").setting("appendonly no")
                .soutListener(line -> { }).serrListener(line -> { }).build();
        server.start();
        return new RedisProcess(server, port);
    }

    public String uri() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** The number of client connections the server has open, not counting the one that asks. */
    public int clients() {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
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
