package dev.responsecache.benchmarks;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import redis.clients.jedis.Jedis;
import redis.embedded.core.ExecutableProvider;

/**
 * What one hit's read of a 1 KiB entry costs on Sentinel and on Cluster when many threads read at once: the store's
 * {@link ResponseStore#get} against real {@code redis-server} processes this program starts (a primary watched by one
 * sentinel; or three Cluster primaries, the reads spread over keys on all three). Run it on two builds of the library
 * (the class path decides which) to compare them; process CPU time and bytes allocated per read are what load on a
 * shared machine inflates least, and the {@code redis-server} processes' CPU per read is read from {@code /proc}.
 * Usage: {@code TopologyReadCost sentinel|cluster [threads=50] [seconds=3] [rounds=3]}.
 */
final class TopologyReadCost {

    private static final int KEYS = 30;

    private TopologyReadCost() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        String topology = args.length > 0 ? args[0] : "sentinel";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        long millis = args.length > 2 ? Long.parseLong(args[2]) * 1000 : 3000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<Process> servers = new ArrayList<>();
        try {
            Map<String, Object> properties = new HashMap<>();
            properties.put("responsecache.store", "redis");
            properties.put("responsecache.redis.topology", topology);
            if ("cluster".equals(topology)) {
                properties.put("responsecache.redis.uri", "redis://" + cluster(servers));
            } else if ("sentinel".equals(topology)) {
                properties.put("responsecache.redis.uri", "redis://" + sentinel(servers));
                properties.put("responsecache.redis.sentinel-master", "cache");
            } else {
                throw new IllegalArgumentException("sentinel or cluster: " + topology);
            }
            ResponseStore store = open(properties);
            try {
                long now = System.currentTimeMillis();
                for (int i = 0; i < KEYS; i++) {
                    store.put(new CacheEntry(key(i), 200, List.of(new Header("Content-Type", "application/json")),
                            Bodies.ONE_KIB, now, now + 3_600_000, List.of()));
                }
                for (int round = 0; round < rounds; round++) {
                    System.out.println(RedisReadCost.run(topology + " store get", threads, millis, i -> store.get(key(i % KEYS))).line());
                }
            } finally {
                store.close();
            }
        } finally {
            servers.forEach(Process::destroyForcibly);
        }
    }

    private static String key(int i) {
        return "GET /api/products/" + i;
    }

    private static ResponseStore open(Map<String, Object> properties) {
        for (ResponseStoreProvider provider : ServiceLoader.load(ResponseStoreProvider.class)) {
            if (provider.name().equals("redis")) {
                return provider.create(new StoreContext(new PropertyValues(properties::get), Clock.systemUTC()));
            }
        }
        throw new IllegalStateException("no redis store on the class path");
    }

    /** A primary and one sentinel watching it (quorum one); returns the sentinel's address. */
    private static String sentinel(List<Process> servers) throws IOException {
        Path dir = Files.createTempDirectory("bench-sentinel");
        int primary = freePort();
        servers.add(server(dir, "--port", Integer.toString(primary)));
        awaitPing(primary);
        int port = freePort();
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, String.join("\n", "port " + port, "bind 127.0.0.1",
                "sentinel monitor cache 127.0.0.1 " + primary + " 1", ""));
        servers.add(start(dir, List.of(conf.toString(), "--sentinel")));
        awaitPing(port);
        return "127.0.0.1:" + port;
    }

    /** Three Cluster primaries sharing the slots, no replicas; returns their addresses. */
    private static String cluster(List<Process> servers) throws IOException {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int port = freePort();
            Path dir = Files.createTempDirectory("bench-cluster");
            servers.add(server(dir, "--port", Integer.toString(port), "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf"));
            awaitPing(port);
            ports.add(port);
        }
        try (Jedis first = new Jedis("127.0.0.1", ports.get(0))) {
            for (int port : ports.subList(1, 3)) {
                first.clusterMeet("127.0.0.1", port);
            }
        }
        for (int i = 0; i < 3; i++) {
            int from = i * 16384 / 3;
            int to = (i + 1) * 16384 / 3;
            int[] slots = new int[to - from];
            for (int s = from; s < to; s++) {
                slots[s - from] = s;
            }
            try (Jedis node = new Jedis("127.0.0.1", ports.get(i))) {
                node.clusterAddSlots(slots);
            }
        }
        for (int port : ports) {
            awaitInfo(port, "cluster_state:ok");
        }
        return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    private static Process server(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        return start(dir, all);
    }

    private static Process start(Path dir, List<String> args) {
        try {
            List<String> command = new ArrayList<>();
            command.add(ExecutableProvider.newJarResourceProvider().get().getAbsolutePath());
            command.addAll(args);
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitPing(int port) {
        awaitInfo(port, null);
    }

    /** Polls the server on {@code port} until it answers (and its CLUSTER INFO says {@code line}), for 60 s. */
    private static void awaitInfo(int port, String line) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.ping();
                if (line == null || jedis.clusterInfo().contains(line)) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not up yet
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("redis-server on " + port + " never became ready");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
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
