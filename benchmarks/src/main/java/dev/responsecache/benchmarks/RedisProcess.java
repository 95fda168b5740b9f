package dev.responsecache.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import redis.embedded.RedisServer;

/**
 * A real Redis for the Redis rows: the server named by {@code REDIS_URL} when set, otherwise a {@code redis-server}
 * process (the binary embedded-redis ships) on a free loopback port, writing nothing to disk.
 */
public final class RedisProcess implements AutoCloseable {

    private final RedisServer server;
    private final String uri;

    private RedisProcess(RedisServer server, String uri) {
        this.server = server;
        this.uri = uri;
    }

    public static RedisProcess start() {
        String external = System.getenv("REDIS_URL");
        if (external != null && !external.isBlank()) {
            return new RedisProcess(null, external);
        }
        // Another process may bind the port found free before redis-server does, which then exits: started again on
        // another port.
        IOException failed = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = freePort();
            try {
                RedisServer server = RedisServer.newRedisServer()
                        .bind("127.0.0.1")
                        .port(port)
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .build();
                server.start();
                return new RedisProcess(server, "redis://127.0.0.1:" + port + "/0");
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
        throw new UncheckedIOException("could not start redis-server", failed);
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

    /** The value for {@code responsecache.redis.uri}. */
    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
