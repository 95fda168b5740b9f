package dev.responsecache.benchmarks;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A peer row's caching reverse proxy (nginx {@code proxy_cache}, Varnish) in front of a backend on this machine,
 * configured to cache every 200 for an hour and to say {@code X-Cache: HIT} on a hit, as the cache's own rows do.
 * Started from the Debian packages' binaries; {@link #start} returns null when the binary is absent.
 */
final class CachingProxy implements AutoCloseable {

    /** How to get the binaries, printed when a row is skipped. */
    static final String INSTALL = "sudo apt-get install -y nginx varnish";

    private final String name;
    private final Process process;
    private final int port;
    private final Path directory;

    private CachingProxy(String name, Process process, int port, Path directory) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /** Starts {@code nginx} or {@code varnish} in front of {@code backendPort}; null when it is not installed. */
    static CachingProxy start(String name, int backendPort) throws IOException {
        String binary = name.equals("nginx") ? "nginx" : "varnishd";
        Path executable = find(binary);
        if (executable == null) {
            return null;
        }
        Path directory = Files.createTempDirectory("bench-" + name);
        // Workers run as an unprivileged user when started as root: they must reach the cache directory.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        List<String> command;
        if (name.equals("nginx")) {
            Path cache = Files.createDirectories(directory.resolve("cache"));
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(directory.resolve("nginx.conf"), String.format("""
                    daemon off;
                    worker_processes 2;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 4096; }
                    http {
                      access_log off;
                      proxy_cache_path %1$s/cache keys_zone=bench:16m;
                      upstream backend { server 127.0.0.1:%2$d; keepalive 64; }
                      server {
                        listen 127.0.0.1:%3$d;
                        location / {
                          proxy_pass http://backend;
                          proxy_http_version 1.1;
                          proxy_set_header Connection "";
                          proxy_cache bench;
                          proxy_cache_valid 200 1h;
                          proxy_cache_lock on;
                          add_header X-Cache $upstream_cache_status;
                        }
                      }
                    }
                    """, directory, backendPort, port));
            command = List.of(executable.toString(), "-p", directory.toString(), "-c",
                    directory.resolve("nginx.conf").toString());
        } else {
            Files.writeString(directory.resolve("bench.vcl"), String.format("""
                    vcl 4.1;
                    backend default { .host = "127.0.0.1"; .port = "%d"; }
                    sub vcl_backend_response { set beresp.ttl = 1h; }
                    sub vcl_deliver {
                      if (obj.hits > 0) { set resp.http.X-Cache = "HIT"; } else { set resp.http.X-Cache = "MISS"; }
                    }
                    """, backendPort));
            command = List.of(executable.toString(), "-F", "-f", directory.resolve("bench.vcl").toString(),
                    "-a", "127.0.0.1:" + port, "-n", directory.resolve("work").toString(), "-s", "malloc,256m");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("output.log").toFile()).start();
        CachingProxy proxy = new CachingProxy(name, process, port, directory);
        proxy.awaitListening();
        return proxy;
    }

    int port() {
        return port;
    }

    private void awaitListening() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited: " + Files.readString(directory.resolve("output.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    process.waitFor(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        close();
        throw new IllegalStateException(name + " did not listen on port " + port + " within 30 s");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Varnish's child may outlive the manager for a moment: its files go with the rest, best effort.
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind
        }
    }

    private static Path find(String binary) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, binary);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
