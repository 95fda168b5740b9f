package dev.responsecache.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The cluster-wide stampede: three application instances (each a JVM of its own) on one Redis, and {@code clients}
 * concurrent requests for one cold key spread evenly across them. Reports how many times the method ran and the
 * waiters' latency, for three cases: the lease off ({@code coalesce-lease=0}: per-instance coalescing only), the
 * lease on (the default), and the lease on with its holder killed ({@code SIGKILL}) while its method runs. The
 * stale-key rows send the requests for a key past its ttl, within stale-while-revalidate, and count the refreshes
 * that ran (target: one for the cluster), lease off and on.
 *
 * <p>{@code ClusterStampede [clients=200] [rounds=3] [work-ms=500]}
 */
final class ClusterStampede {

    private static final int INSTANCES = 3;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String redisUri;
    private final long workMillis;
    private int keys;

    private ClusterStampede(String redisUri, long workMillis) {
        this.redisUri = redisUri;
        this.workMillis = workMillis;
    }

    /** One round's result. */
    private record Result(long runs, int ok, int failed, long[] okMillis) {
        String line() {
            long[] sorted = okMillis.clone();
            Arrays.sort(sorted);
            return String.format("ran %d times; %d answered 200, %d failed; waiters p50 %d ms, p99 %d ms, max %d ms",
                    runs, ok, failed, percentile(sorted, 50), percentile(sorted, 99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long work = args.length > 2 ? Long.parseLong(args[2]) : 500;
        try (RedisProcess redis = RedisProcess.start()) {
            ClusterStampede harness = new ClusterStampede(redis.uri(), work);
            System.out.printf("%d instances on one Redis, %d concurrent requests for one cold key spread across them,"
                    + " %d ms of work per run, coalesce-wait 5s (default)%n", INSTANCES, clients, work);
            for (String lease : List.of("0", "default")) {
                List<Instance> instances = harness.start(lease);
                try {
                    for (int round = 0; round < rounds; round++) {
                        System.out.printf("lease %-8s round %d: %s%n", lease, round + 1,
                                harness.round(instances, clients, false).line());
                    }
                    for (int round = 0; round < rounds; round++) {
                        System.out.printf("stale key, lease %-8s round %d: %s%n", lease, round + 1,
                                harness.staleRound(instances, clients));
                    }
                } finally {
                    instances.forEach(Instance::close);
                }
            }
            for (int round = 0; round < rounds; round++) {
                List<Instance> instances = harness.start("default");
                try {
                    System.out.printf("holder killed     round %d: %s%n", round + 1,
                            harness.round(instances, clients, true).line());
                } finally {
                    instances.forEach(Instance::close);
                }
            }
        }
    }

    private List<Instance> start(String lease) throws Exception {
        String prefix = "stampede-" + System.nanoTime() + ":";
        List<Instance> instances = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(Instance.start(redisUri, prefix, workMillis, lease.equals("default") ? "2500ms" : lease));
        }
        warmUp(instances);
        return instances;
    }

    /**
     * Runs the code paths of a miss, a coalesced miss and a hit until the JIT has compiled them: a cold JVM is slow
     * enough for the Redis breaker to judge Redis slow (50 ms) and stop calling it. Then waits out the breaker's
     * cool-down (1 s) and lets a probe close it.
     */
    private void warmUp(List<Instance> instances) throws Exception {
        for (int batch = 0; batch < 40; batch++) {
            List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Instance target = instances.get(i % instances.size());
                requests.add(http.sendAsync(HttpRequest.newBuilder(target.base.resolve("/api/slow?key=warm-" + batch
                        + "-" + (i % 10))).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> request : requests) {
                request.get(60, TimeUnit.SECONDS);
            }
        }
        Thread.sleep(1500);
        for (Instance instance : instances) {
            for (int i = 0; i < 3; i++) {
                http.send(HttpRequest.newBuilder(instance.base.resolve("/api/slow?key=warm-probe-" + i)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    /**
     * Sends {@code clients} requests for a new key at once, round robin over the instances. With {@code kill}, kills
     * the instance whose method starts first (the lease holder) while it runs; its own requests then fail and are
     * counted apart, and the run it started counts as one.
     */
    private Result round(List<Instance> instances, int clients, boolean kill) throws Exception {
        String key = "cold-" + (++keys) + "-" + System.nanoTime();
        long[] before = new long[instances.size()];
        for (int i = 0; i < instances.size(); i++) {
            before[i] = instances.get(i).runs(http);
        }
        List<CompletableFuture<Long>> requests = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            Instance target = instances.get(i % instances.size());
            HttpRequest request = HttpRequest.newBuilder(target.base.resolve("/api/slow?key=" + key))
                    .timeout(Duration.ofSeconds(60)).build();
            long sent = System.nanoTime();
            requests.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) ->
                    error == null && response.statusCode() == 200
                            ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) : -1L));
        }
        Instance killed = null;
        if (kill) {
            killed = (Instance) CompletableFuture.anyOf(instances.stream().map(instance -> instance.ran(key))
                    .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            killed.kill();
        }
        List<Long> ok = new ArrayList<>();
        int failed = 0;
        for (CompletableFuture<Long> request : requests) {
            long millis = request.get(120, TimeUnit.SECONDS);
            if (millis >= 0) {
                ok.add(millis);
            } else {
                failed++;
            }
        }
        long runs = killed == null ? 0 : 1;
        for (int i = 0; i < instances.size(); i++) {
            if (instances.get(i) != killed) {
                runs += instances.get(i).runs(http) - before[i];
            }
        }
        return new Result(runs, ok.size(), failed, ok.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * The stale-key row: stores a key, lets it expire (its ttl is one second; it is then answered stale while one
     * refresh runs), sends {@code clients} requests for it at once, round robin over the instances, and waits until
     * a refreshed entry answers on every instance. Reports how many refreshes ran (target: 1 for the cluster with the
     * lease on; one per instance with it off) and the latency of the stale answers.
     */
    private String staleRound(List<Instance> instances, int clients) throws Exception {
        String key = "stale-" + (++keys) + "-" + System.nanoTime();
        URI path = URI.create("/api/stale?key=" + key);
        http.send(HttpRequest.newBuilder(instances.get(0).base.resolve(path)).build(),
                HttpResponse.BodyHandlers.discarding());
        // Past the one-second ttl, well within the hour of stale-while-revalidate.
        Thread.sleep(1500);
        long[] before = new long[instances.size()];
        for (int i = 0; i < instances.size(); i++) {
            before[i] = instances.get(i).runs(http);
        }
        List<CompletableFuture<Long>> requests = new ArrayList<>(clients);
        Map<String, Integer> cacheStatus = new ConcurrentHashMap<>();
        for (int i = 0; i < clients; i++) {
            Instance target = instances.get(i % instances.size());
            long sent = System.nanoTime();
            requests.add(http.sendAsync(HttpRequest.newBuilder(target.base.resolve(path))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding())
                    .handle((response, error) -> {
                        if (error != null || response.statusCode() != 200) {
                            return -1L;
                        }
                        cacheStatus.merge(response.headers().firstValue("X-Cache").orElse("none"), 1, Integer::sum);
                        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
                    }));
        }
        List<Long> ok = new ArrayList<>();
        for (CompletableFuture<Long> request : requests) {
            long millis = request.get(120, TimeUnit.SECONDS);
            if (millis >= 0) {
                ok.add(millis);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Instance instance : instances) {
            while (!"HIT".equals(http.send(HttpRequest.newBuilder(instance.base.resolve(path)).build(),
                    HttpResponse.BodyHandlers.discarding()).headers().firstValue("X-Cache").orElse(""))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no refreshed entry on " + instance.base);
                }
                Thread.sleep(20);
            }
        }
        long refreshes = 0;
        for (int i = 0; i < instances.size(); i++) {
            refreshes += instances.get(i).runs(http) - before[i];
        }
        long[] sorted = ok.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("%d refreshes ran; %d answered 200 %s; p50 %d ms, p99 %d ms, max %d ms", refreshes,
                ok.size(), new TreeMap<>(cacheStatus), percentile(sorted, 50), percentile(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }

    private static long percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** A {@link ClusterInstance} process. */
    private static final class Instance implements AutoCloseable {
        private final Process process;
        final URI base;
        private final Map<String, CompletableFuture<Instance>> runs = new ConcurrentHashMap<>();

        private Instance(Process process, URI base, BufferedReader out) {
            this.process = process;
            this.base = base;
            Thread reader = new Thread(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith("RUN ")) {
                            ran(line.substring(4).trim()).complete(this);
                        }
                    }
                } catch (IOException e) {
                    // the instance is gone
                }
            }, "instance-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** Completes as soon as this instance starts the method for {@code key}. */
        CompletableFuture<Instance> ran(String key) {
            return runs.computeIfAbsent(key, k -> new CompletableFuture<>());
        }

        static Instance start(String redisUri, String prefix, long workMillis, String lease) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ClusterInstance.class.getName(), redisUri, prefix, Long.toString(workMillis), lease)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PORT ")) {
                    return new Instance(process, URI.create("http://127.0.0.1:" + line.substring(5).trim()), out);
                }
            }
            throw new IllegalStateException("instance exited before serving: " + process.exitValue());
        }

        long runs(HttpClient http) {
            try {
                return Long.parseLong(http.send(HttpRequest.newBuilder(base.resolve("/api/runs")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().trim());
            } catch (IOException e) {
                throw new IllegalStateException("could not read the runs of " + base, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
