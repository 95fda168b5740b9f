package dev.responsecache.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link BenchApp} in JVMs of its own, warms every row up, then runs wrk on each row in turn
 * (A B C ... A B C ...) for several rounds, so that a disturbance of the shared machine hits every row rather than
 * one, and prints the table; then measures stampedes on the cached realistic rows. Arguments: {@code --rounds=5
 * --duration=10s --warmup=5s --threads=2 --connections=50 --stampede-clients=50 --stampede-rounds=3 --rows=all
 * --jvm=per-row --peers=nginx,varnish,resteasy}; {@code --rows} takes comma-separated row names (the first one named
 * is the reference of the ratio column).
 *
 * <p>{@code --jvm=per-row} (the default) gives every row a JVM of its own, as a deployment has: in one shared JVM
 * ({@code --jvm=shared}) the rows' code shares the JIT's profiles (Jetty's and the servlet API's call sites see every
 * row's types and go megamorphic), which slows the plain-servlet reference more than the rows measured against it.
 * {@code --peers} adds the rows of the caches users would pick instead (nginx {@code proxy_cache} and Varnish in
 * front of the trivial Jersey resource, skipped when not installed) and RESTEasy's trivial resource; {@code none}
 * adds none.
 */
final class LoadHarness {

    private final Map<String, String> options = new LinkedHashMap<>(Map.ofEntries(
            Map.entry("rounds", "5"), Map.entry("duration", "10s"), Map.entry("warmup", "5s"),
            Map.entry("threads", "2"), Map.entry("connections", "50"), Map.entry("stampede-clients", "50"),
            Map.entry("stampede-rounds", "3"), Map.entry("rows", "all"), Map.entry("jvm", "per-row"),
            Map.entry("peers", "nginx,varnish,resteasy")));

    private LoadHarness(String[] args) {
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
            if (name == null || !options.containsKey(name)) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: " + options);
            }
            options.put(name, arg.substring(eq + 1));
        }
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        new LoadHarness(args).run();
    }

    /** One measured row: where wrk sends its requests, and the app whose {@code /stats} counts the row's runs. */
    private record Target(Row row, URI base, Stampede app) {
    }

    /** A started app: its process, its address, and the rows it announced. */
    private record App(Process process, URI base, List<Row> rows) {
    }

    private static final int MAX_SETTLING = 8;

    private final List<App> apps = new ArrayList<>();
    private final List<CachingProxy> proxies = new ArrayList<>();
    private final Map<URI, Stampede> stampedes = new LinkedHashMap<>();
    /** The script that gives every request of a {@link Row#freshQuery()} row a new query. */
    private Path misses;
    private long wrkRuns;

    private void run() throws IOException, InterruptedException {
        Path lua = Files.createTempFile("hits", ".lua");
        try (InputStream script = LoadHarness.class.getResourceAsStream("hits.lua")) {
            Files.write(lua, script.readAllBytes());
        }
        misses = Files.createTempFile("misses", ".lua");
        try (InputStream script = LoadHarness.class.getResourceAsStream("misses.lua")) {
            Files.write(misses, script.readAllBytes());
        }
        try {
            App first = startApp(BenchApp.class, benchClassPath());
            List<Row> rows = first.rows();
            String wanted = options.get("rows");
            if (!wanted.equals("all")) {
                rows = new ArrayList<>();
                for (String name : wanted.split(",")) {
                    rows.add(first.rows().stream().filter(row -> row.name().equals(name)).findFirst().orElseThrow(
                            () -> new IllegalArgumentException("no row " + name + " in " + first.rows())));
                }
            }
            boolean perRow = switch (options.get("jvm")) {
                case "per-row" -> true;
                case "shared" -> false;
                default -> throw new IllegalArgumentException("--jvm is per-row or shared: " + options.get("jvm"));
            };
            List<Target> targets = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                App app = !perRow || i == 0 ? first : startApp(BenchApp.class, benchClassPath());
                targets.add(new Target(rows.get(i), app.base(), stampede(app.base())));
            }
            addPeers(targets, perRow ? null : first);
            measure(targets, lua);
        } finally {
            for (CachingProxy proxy : proxies) {
                proxy.close();
            }
            for (App app : apps) {
                app.process().getOutputStream().close();
            }
            for (App app : apps) {
                if (!app.process().waitFor(20, TimeUnit.SECONDS)) {
                    app.process().destroy();
                }
            }
            Files.deleteIfExists(lua);
            Files.deleteIfExists(misses);
        }
    }

    /**
     * The peer rows named by {@code --peers}: nginx and Varnish caching the trivial Jersey resource of a
     * {@link BenchApp} (its own, unless {@code shared} is given), and RESTEasy's trivial resource in its own JVM.
     * A peer whose software is absent is skipped with a word on how to install it.
     */
    private void addPeers(List<Target> targets, App shared) throws IOException {
        for (String peer : options.get("peers").split(",")) {
            switch (peer) {
                case "none" -> {
                    return;
                }
                case "nginx", "varnish" -> {
                    App backend = shared != null ? shared : startApp(BenchApp.class, benchClassPath());
                    CachingProxy proxy = CachingProxy.start(peer, backend.base().getPort());
                    if (proxy == null) {
                        System.out.printf("row %s skipped: not installed (%s)%n", peer, CachingProxy.INSTALL);
                        continue;
                    }
                    proxies.add(proxy);
                    targets.add(new Target(new Row(peer.equals("nginx") ? "nginx-proxy-cache-hit" : "varnish-hit",
                            "/api/trivial", "trivial", true), URI.create("http://127.0.0.1:" + proxy.port()),
                            stampede(backend.base())));
                }
                case "resteasy" -> {
                    Path resteasy = Path.of("target", "classpath-resteasy.txt");
                    if (!Files.exists(resteasy)) {
                        System.out.println("row resteasy-uncached skipped: " + resteasy + " missing");
                        continue;
                    }
                    StringBuilder classPath = new StringBuilder();
                    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                        // Jersey and RESTEasy both provide the JAX-RS RuntimeDelegate: one runtime per JVM.
                        if (!entry.contains("/org/glassfish/")) {
                            classPath.append(entry).append(File.pathSeparator);
                        }
                    }
                    classPath.append(Files.readString(resteasy).trim());
                    App app = startApp(ResteasyApp.class, classPath.toString());
                    for (Row row : app.rows()) {
                        targets.add(new Target(row, app.base(), stampede(app.base())));
                    }
                }
                default -> throw new IllegalArgumentException("--peers takes nginx, varnish, resteasy or none: " + peer);
            }
        }
    }

    private Stampede stampede(URI base) {
        return stampedes.computeIfAbsent(base, Stampede::new);
    }

    private static String benchClassPath() {
        return System.getProperty("java.class.path");
    }

    /** Starts an app in a JVM of its own ({@code -Xms1g -Xmx1g}) and reads its port and rows. */
    private App startApp(Class<?> main, String classPath) throws IOException {
        Path log = Path.of("target", "bench-app-" + apps.size() + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-cp", classPath, main.getName(), "0"));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        URI base = null;
        List<Row> rows = new ArrayList<>();
        for (String line = out.readLine(); !"READY".equals(line); line = out.readLine()) {
            if (line == null) {
                process.destroy();
                throw new IllegalStateException("the benchmark app exited; see " + log);
            } else if (line.startsWith("PORT ")) {
                base = URI.create("http://127.0.0.1:" + line.substring(5).trim());
            } else if (line.startsWith("ROW ")) {
                rows.add(Row.parse(line));
            }
        }
        App app = new App(process, base, List.copyOf(rows));
        apps.add(app);
        return app;
    }

    private void measure(List<Target> targets, Path lua) throws IOException, InterruptedException {
        int rounds = Integer.parseInt(options.get("rounds"));
        List<Row> rows = targets.stream().map(Target::row).toList();
        System.out.printf("rows: %d (%s), warm-ups of %s each until two agree within 5%%, then %d interleaved rounds"
                        + " of %s each (wrk -t%s -c%s)%n",
                rows.size(), options.get("jvm").equals("per-row") ? "each in its own JVM" : "all in one JVM",
                options.get("warmup"), rounds, options.get("duration"), options.get("threads"),
                options.get("connections"));
        Map<Row, WrkResult> warmUp = new LinkedHashMap<>();
        for (Target target : targets) {
            warmUp.put(target.row(), wrk(target.base(), target.row(), options.get("warmup"), lua));
            settle(target);
        }
        Map<Row, List<WrkResult>> results = new LinkedHashMap<>();
        Map<Row, long[]> served = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Target target : targets) {
                Row row = target.row();
                long before = target.app().runs(row);
                WrkResult result = wrk(target.base(), row, options.get("duration"), null);
                long ran = target.app().runs(row) - before;
                results.computeIfAbsent(row, ignored -> new ArrayList<>()).add(result);
                long[] totals = served.computeIfAbsent(row, ignored -> new long[2]);
                totals[0] += result.requests();
                totals[1] += ran;
                System.out.printf("round %d %-26s %10.0f req/s%n", round, row.name(), result.requestsPerSecond());
            }
        }
        System.out.println();
        System.out.print(table(rows, results, served, warmUp));
        System.out.println();
        stampedes(targets);
    }

    /**
     * Warms a row up further until two warm-ups in a row agree within 5% (at most {@value #MAX_SETTLING} more): a
     * JVM of its own compiles the row's code alone, which on a loaded machine takes longer than one warm-up.
     */
    private void settle(Target target) throws IOException, InterruptedException {
        double previous = 0;
        for (int i = 0; i < MAX_SETTLING; i++) {
            double rate = wrk(target.base(), target.row(), options.get("warmup"), null).requestsPerSecond();
            if (previous > 0 && Math.abs(rate - previous) <= 0.05 * previous) {
                return;
            }
            previous = rate;
        }
        System.out.printf("row %s: throughput still changing after %d warm-ups%n", target.row().name(),
                MAX_SETTLING + 1);
    }

    private WrkResult wrk(URI base, Row row, String duration, Path lua) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + options.get("threads"),
                "-c" + options.get("connections"), "-d" + duration, "--latency"));
        if (row.freshQuery()) {
            command.addAll(List.of("-s", misses.toString()));
        } else if (lua != null) {
            command.addAll(List.of("-s", lua.toString()));
        }
        if (row.gzipClient()) {
            command.addAll(List.of("-H", "Accept-Encoding: gzip"));
        }
        command.add(base.resolve(row.path(null)).toString());
        if (row.freshQuery()) {
            // A prefix of this run's own: no query of an earlier run (another round, a warm-up) comes again.
            command.addAll(List.of("--", System.nanoTime() + "-" + ++wrkRuns));
        }
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed on " + row.name() + ":\n" + output);
        }
        return WrkResult.parse(output);
    }

    static String table(List<Row> rows, Map<Row, List<WrkResult>> results, Map<Row, long[]> served,
                        Map<Row, WrkResult> warmUp) {
        double bound = median(rates(results.get(rows.get(0))));
        StringBuilder table = new StringBuilder();
        table.append("| row | median req/s | range req/s | ratio to ").append(rows.get(0).name())
                .append(" | p50 ms | p99 ms | hit ratio | X-Cache: HIT (warm-up) | errors |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            List<WrkResult> runs = results.get(row);
            double[] rates = rates(runs);
            double median = median(rates);
            long errors = runs.stream().mapToLong(WrkResult::errors).sum();
            long[] totals = served.get(row);
            WrkResult warm = warmUp.get(row);
            table.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f-%.0f | %.2f | %.2f | %.2f | %s | %s | %d |%n",
                    row.name(), median, Arrays.stream(rates).min().orElse(0), Arrays.stream(rates).max().orElse(0),
                    median / bound,
                    median(runs.stream().mapToDouble(WrkResult::p50Micros).toArray()) / 1000,
                    median(runs.stream().mapToDouble(WrkResult::p99Micros).toArray()) / 1000,
                    row.cached() ? String.format(Locale.ROOT, "%.4f", 1 - (double) totals[1] / totals[0]) : "-",
                    row.cached() && warm.headerTotal() > 0
                            ? String.format(Locale.ROOT, "%.4f", (double) warm.headerHits() / warm.headerTotal())
                            : "-",
                    errors));
        }
        return table.toString();
    }

    private void stampedes(List<Target> targets) throws InterruptedException {
        int clients = Integer.parseInt(options.get("stampede-clients"));
        int rounds = Integer.parseInt(options.get("stampede-rounds"));
        for (Target target : targets) {
            Row row = target.row();
            if (!row.cached() || !row.name().startsWith("realistic")) {
                continue;
            }
            List<String> outcomes = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                String cold = row.path() + "?category=stampede-" + System.nanoTime();
                Stampede.Result result = target.app().run(row, cold, clients);
                outcomes.add(result.runs() + " runs (" + result.ok() + "/" + result.clients() + " ok)");
            }
            System.out.printf("stampede %s: %d concurrent requests for one cold key -> %s%n",
                    row.name(), clients, String.join(", ", outcomes));
        }
    }

    private static double[] rates(List<WrkResult> results) {
        return results.stream().mapToDouble(WrkResult::requestsPerSecond).toArray();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
