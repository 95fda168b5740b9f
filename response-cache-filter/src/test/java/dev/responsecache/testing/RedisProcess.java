package dev.responsecache.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.embedded.core.ExecutableProvider;

/**
 * One {@code redis-server} process (the binary of embedded-redis, built with TLS, cluster and sentinel support) with
 * arguments of the test's choosing, writing its files to a directory of its own. {@link #kill()} ends it the way a
 * crash does.
 */
public final class RedisProcess implements AutoCloseable {

    private final int port;
    private final Process process;

    private RedisProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Starts {@code redis-server <args>} on {@code port} in {@code dir}; returns once its log says it is ready. */
    public static RedisProcess start(Path dir, int port, List<String> args, String readyLine) {
        List<String> command = new ArrayList<>();
        command.add(binary().getAbsolutePath());
        command.addAll(args);
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve("redis-" + port + ".log");
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            RedisProcess server = new RedisProcess(port, process);
            Eventually.until(() -> server.logged(log, readyLine), Duration.ofSeconds(30),
                    () -> "redis-server on " + port + " never said '" + readyLine + "'; see " + log);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plain (non-TLS) server, no persistence, with extra arguments. */
    public static RedisProcess plain(Path dir, String... extra) {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"));
        args.addAll(List.of(extra));
        return start(dir, port, args, "Ready to accept connections");
    }

    public int port() {
        return port;
    }

    /** A new client to this server (the caller closes it). */
    public Jedis client() {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(30_000).socketTimeoutMillis(30_000).build());
    }

    /** Ends the process at once (SIGKILL), as a crash or a lost machine would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    private boolean logged(Path log, String line) {
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server on " + port + " exited with " + process.exitValue()
                    + "; see " + log);
        }
        try {
            return Files.readString(log).contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    static synchronized File binary() {
        try {
            File file = ExecutableProvider.newJarResourceProvider().get();
            if (!file.canExecute() && !file.setExecutable(true)) {
                throw new IllegalStateException("cannot make " + file + " executable");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
