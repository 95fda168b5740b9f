package dev.responsecache.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    private static RedisProcess start(Path dir, int port, List<String> args, String readyLine) {
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
            try {
                Eventually.until(() -> server.logged(log, readyLine), Duration.ofSeconds(30),
                        () -> "redis-server on " + port + " never said '" + readyLine + "'; see " + log);
            } catch (RuntimeException | AssertionError e) {
                server.kill();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a server started on a port it was given runs with: its arguments, which may name files it writes. */
    @FunctionalInterface
    public interface Arguments {
        List<String> forPort(int port, Path dir) throws IOException;
    }

    /**
     * Starts {@code redis-server} on a port drawn from {@link LocalPorts}, in a directory of its own under {@code dir}
     * (a cluster node writes its {@code nodes.conf} there). A port found free may be taken by another process before
     * the server binds it: then the server exits, and is started again on another port.
     */
    public static RedisProcess onFreePort(Path dir, Arguments arguments, String readyLine) {
        PortTaken taken = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            int port = LocalPorts.free();
            Path home = dir.resolve("port-" + port);
            try {
                return start(home, port, arguments.forPort(port, home), readyLine);
            } catch (PortTaken e) {
                if (taken == null) {
                    taken = e;
                } else {
                    taken.addSuppressed(e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw taken;
    }

    /** A plain (non-TLS) server, no persistence, with extra arguments. */
    public static RedisProcess plain(Path dir, String... extra) {
        return onFreePort(dir, (port, home) -> {
            List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no"));
            args.addAll(List.of(extra));
            return args;
        }, "Ready to accept connections");
    }

    public int port() {
        return port;
    }

    /** A new client to this server (the caller closes it). */
    public Jedis client() {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(30_000).socketTimeoutMillis(30_000).build());
    }

    /**
     * Sends {@code signal} ({@code STOP}, {@code CONT}) to the server: a stopped one keeps its connections open and
     * answers nothing, as a hung server does.
     */
    public void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
            String message = "redis-server on " + port + " exited with " + process.exitValue() + "; see " + log;
            throw portTaken(log) ? new PortTaken(message) : new IllegalStateException(message);
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

    /** Whether the server could not listen because its port (or a cluster node's bus port) was taken. */
    private static boolean portTaken(Path log) {
        try {
            return Files.readString(log).contains("Address already in use");
        } catch (IOException e) {
            return false;
        }
    }

    /** The server exited at start because another process had bound its port since it was found free. */
    static final class PortTaken extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }
}
