package dev.responsecache.benchmarks;

import java.io.BufferedReader;
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
 * Starts {@link BenchApp} in its own JVM, warms every row up, then runs wrk on each row in turn (A B C ... A B C ...)
 * for several rounds, so that a disturbance of the shared machine hits every row rather than one, and prints the
 * table; then measures stampedes on the cached realistic rows. Arguments: {@code --rounds=5 --duration=10s
 * --warmup=5s --threads=2 --connections=50 --stampede-clients=50 --stampede-rounds=3 --rows=all}; {@code --rows}
 * takes comma-separated row names (the first one named is the reference of the ratio column).
 */
final class LoadHarness {

    private final Map<String, String> options = new LinkedHashMap<>(Map.of(
            "rounds", "5", "duration", "10s", "warmup", "5s", "threads", "2", "connections", "50",
            "stampede-clients", "50", "stampede-rounds", "3", "rows", "all"));

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

    private void run() throws IOException, InterruptedException {
        Path lua = Files.createTempFile("hits", ".lua");
        try (InputStream script = LoadHarness.class.getResourceAsStream("hits.lua")) {
            Files.write(lua, script.readAllBytes());
        }
        Process app = startApp();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
            URI base = null;
            List<Row> rows = new ArrayList<>();
            for (String line = out.readLine(); !"READY".equals(line); line = out.readLine()) {
                if (line == null) {
                    throw new IllegalStateException("the benchmark app exited; see target/bench-app.log");
                } else if (line.startsWith("PORT ")) {
                    base = URI.create("http://127.0.0.1:" + line.substring(5).trim());
                } else if (line.startsWith("ROW ")) {
                    rows.add(Row.parse(line));
                }
            }
            String wanted = options.get("rows");
            if (!wanted.equals("all")) {
                List<Row> available = rows;
                rows = new ArrayList<>();
                for (String name : wanted.split(",")) {
                    rows.add(available.stream().filter(row -> row.name().equals(name)).findFirst().orElseThrow(
                            () -> new IllegalArgumentException("no row " + name + " in " + available)));
                }
            }
            measure(base, rows, lua);
        } finally {
            app.getOutputStream().close();
            if (!app.waitFor(20, TimeUnit.SECONDS)) {
                app.destroy();
            }
            Files.deleteIfExists(lua);
        }
    }

    private Process startApp() throws IOException {
        Path log = Path.of("target", "bench-app.log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                BenchApp.class.getName(), "0"));
        return new ProcessBuilder(command).redirectError(log.toFile()).start();
    }

    private void measure(URI base, List<Row> rows, Path lua) throws IOException, InterruptedException {
        int rounds = Integer.parseInt(options.get("rounds"));
        Stampede stampede = new Stampede(base);
        System.out.printf("rows: %d, warm-up %s each, then %d interleaved rounds of %s each (wrk -t%s -c%s)%n",
                rows.size(), options.get("warmup"), rounds, options.get("duration"), options.get("threads"),
                options.get("connections"));
        Map<Row, WrkResult> warmUp = new LinkedHashMap<>();
        for (Row row : rows) {
            warmUp.put(row, wrk(base, row, options.get("warmup"), lua));
        }
        Map<Row, List<WrkResult>> results = new LinkedHashMap<>();
        Map<Row, long[]> served = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Row row : rows) {
                long before = stampede.runs(row);
                WrkResult result = wrk(base, row, options.get("duration"), null);
                long ran = stampede.runs(row) - before;
                results.computeIfAbsent(row, ignored -> new ArrayList<>()).add(result);
                long[] totals = served.computeIfAbsent(row, ignored -> new long[2]);
                totals[0] += result.requests();
                totals[1] += ran;
                System.out.printf("round %d %-24s %10.0f req/s%n", round, row.name(), result.requestsPerSecond());
            }
        }
        System.out.println();
        System.out.print(table(rows, results, served, warmUp));
        System.out.println();
        stampedes(stampede, rows);
    }

    private WrkResult wrk(URI base, Row row, String duration, Path lua) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + options.get("threads"),
                "-c" + options.get("connections"), "-d" + duration, "--latency"));
        if (lua != null) {
            command.addAll(List.of("-s", lua.toString()));
        }
        command.add(base.resolve(row.path()).toString());
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

    private void stampedes(Stampede stampede, List<Row> rows) throws InterruptedException {
        int clients = Integer.parseInt(options.get("stampede-clients"));
        int rounds = Integer.parseInt(options.get("stampede-rounds"));
        for (Row row : rows) {
            if (!row.cached() || !row.name().startsWith("realistic")) {
                continue;
            }
            List<String> outcomes = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                String cold = row.path() + "?category=stampede-" + System.nanoTime();
                Stampede.Result result = stampede.run(row, cold, clients);
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
