package dev.responsecache.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Keeps every instrument of this module working: each benchmark, the app and its rows, the stampede and heap
 * measurements, and the reading of wrk's output. Nothing here measures or asserts a speed.
 */
class BenchmarksSmokeTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyBenchmarkRunsOnceWithTinySettings() throws RunnerException, IOException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("dev\\.responsecache\\..*Benchmark")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .shouldFailOnError(true)
                .build()).run();
        assertEquals(benchmarkCount(), results.size(), "one result per benchmark and parameter");
        for (RunResult result : results) {
            assertTrue(result.getPrimaryResult().getScore() > 0, result.getParams().getBenchmark());
        }
    }

    @Test
    void appServesEveryRowAndTheCachedRowsHitOnTheSecondRequest() throws Exception {
        try (BenchApp app = BenchApp.start(0)) {
            java.util.Set<String> requested = new java.util.HashSet<>();
            for (Row row : app.rows()) {
                String[] accept = row.gzipClient() ? new String[] {"Accept-Encoding", "gzip"} : new String[0];
                // A fresh-query row sends every request with a new query.
                HttpResponse<byte[]> first = get(app, row.path("smoke-1"), accept);
                HttpResponse<byte[]> second = get(app, row.path("smoke-2"), accept);
                assertEquals(200, first.statusCode(), row.name());
                assertEquals(200, second.statusCode(), row.name());
                // A compressed row's gzip client gets the stored gzip bytes: the 10 KiB document in about 1 KiB.
                assertTrue(second.body().length >= (row.gzipClient() ? 512 : Bodies.ONE_KIB.length), row.name());
                String answered = second.headers().firstValue("X-Cache").orElse(null);
                if (!requested.add(row.path())) {
                    // The entry of an earlier row, asked for by another client (a -gzip-client row).
                    assertEquals("HIT", first.headers().firstValue("X-Cache").orElse(null), row.name());
                    assertEquals("HIT", answered, row.name());
                } else if (row.cached()) {
                    assertEquals("MISS", first.headers().firstValue("X-Cache").orElse(null), row.name());
                    // The stale row's entry lives 1 s: on a slow machine the second request may find it expired
                    // (answered stale, while a refresh runs the endpoint again).
                    assertTrue("HIT".equals(answered) || "STALE".equals(answered), row.name() + ": " + answered);
                    if ("HIT".equals(answered)) {
                        assertEquals(1, app.runs().of(row.runs()), row.name() + " ran once for two requests");
                    }
                } else {
                    // Uncached rows: no cache at all, or (the miss row) one that never stores.
                    assertTrue(answered == null || "MISS".equals(answered), row.name() + ": " + answered);
                    assertEquals(2, app.runs().of(row.runs()), row.name());
                }
            }
        }
    }

    @Test
    void asyncRedisHitPrototypeServesTheStoredValueOnEveryPath() throws Exception {
        try (BenchApp app = BenchApp.start(0)) {
            for (String path : List.of("/rp/blocking", "/rp/async", "/rp/async-timeout", "/rp/async-pool")) {
                HttpResponse<byte[]> response = get(app, path);
                assertEquals(200, response.statusCode(), path);
                assertTrue(java.util.Arrays.equals(Bodies.ONE_KIB, response.body()), path);
                // Jetty adds the length the async paths leave out when the response completes.
                assertEquals(String.valueOf(Bodies.ONE_KIB.length),
                        response.headers().firstValue("Content-Length").orElse(null), path);
            }
        }
    }

    @Test
    void realisticDocumentIsAboutTenKibOfJson() throws Exception {
        try (BenchApp app = BenchApp.start(0)) {
            String body = new String(get(app, "/api/realistic").body(), StandardCharsets.UTF_8);
            assertTrue(body.startsWith("{\"category\":\"garden\"") && body.endsWith("]}"), body);
            assertTrue(body.length() > 9 * 1024 && body.length() < 12 * 1024, "length " + body.length());
        }
    }

    @Test
    void stampedeReportsHowOftenTheEndpointRanForOneColdKey() throws Exception {
        try (BenchApp app = BenchApp.start(0)) {
            Row realistic = app.rows().stream().filter(row -> row.name().equals("realistic-cached")).findFirst()
                    .orElseThrow();
            Stampede.Result result = new Stampede(URI.create("http://127.0.0.1:" + app.port()))
                    .run(realistic, realistic.path() + "?category=cold", 8);
            assertEquals(8, result.ok());
            assertTrue(result.runs() >= 1 && result.runs() <= 8, "runs " + result.runs());
        }
    }

    @Test
    void redisReadCostReadsTheEntryThroughEveryClient() throws InterruptedException {
        List<RedisReadCost.Result> results = RedisReadCost.measure(2, 100, 1);
        assertEquals(List.of("jedis GET", "jedis GET, no read timeout", "store get", "pipelined GET",
                        "jedis client-side cache"),
                results.stream().map(RedisReadCost.Result::client).toList());
        for (RedisReadCost.Result result : results) {
            assertTrue(result.readsPerSecond() > 0, result.line());
        }
    }

    @Test
    void missGcCostServesBothRowsInEveryRound() throws Exception {
        MissGcCost.Block[][] blocks = MissGcCost.measure(1, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50));
        assertTrue(blocks[0][0].requests() > 0 && blocks[1][0].requests() > 0);
    }

    @Test
    void scanHitRatioKeepsMoreOfTheHotSetWithAdmission() throws Exception {
        ScanHitRatio.Result off = ScanHitRatio.run(100, 2_000, 50, "off");
        ScanHitRatio.Result admitting = ScanHitRatio.run(100, 2_000, 50, "when-evicting");
        assertEquals(off.hotRequests(), admitting.hotRequests(), "the same requests in both modes");
        assertTrue(admitting.hotHitRatio() > off.hotHitRatio(), off.line() + "\n" + admitting.line());
    }

    @Test
    void hitCpuMeasuresTheFilterHitWithoutASocket() throws Exception {
        try (BenchApp app = BenchApp.start(0)) {
            org.eclipse.jetty.server.LocalConnector.LocalEndPoint endPoint = HitCpu.connect(app);
            HitCpu.exchange(endPoint, "/filtered/page");
            assertTrue(HitCpu.exchange(endPoint, "/filtered/page").contains("X-Cache: HIT"));
            assertTrue(HitCpu.nanosPerRequest(endPoint, "/filtered/page", 20) > 0);
            long[] parts = HitCpu.serverAndClientNanos(endPoint, "/filtered/page", 20);
            assertTrue(parts[0] > 0 && parts[1] > 0);
        }
    }

    @Test
    void hitInstructionsCountsEveryPathBetweenItsHandshakes() throws Exception {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try (BenchApp app = BenchApp.start(0)) {
            HitInstructions.run(app, 8, 4, List.of("/plain", "/early/cached"),
                    new java.io.BufferedReader(new java.io.StringReader("")),
                    new java.io.PrintStream(printed, true, StandardCharsets.US_ASCII));
        }
        assertEquals(List.of("MEASURE /plain", "DONE /plain", "MEASURE /early/cached", "DONE /early/cached", "END"),
                List.of(printed.toString(StandardCharsets.US_ASCII).split("\\R")));
    }

    @Test
    void lookupCpuTimesAHitOnEveryStoreInEveryRound() {
        double[][] nanos = LookupCpu.measure(List.of("ehcache", StoreUnderTest.REDIS_NEAR), 20, 2);
        for (double[] store : nanos) {
            assertEquals(2, store.length);
            assertTrue(store[0] > 0 && store[1] > 0, Arrays.toString(store));
        }
    }

    @Test
    void heapMeasurementKeepsEveryEntryItFills() {
        HeapPerEntry.Result result = HeapPerEntry.measure(Fixtures.SMALL_BODY, 500);
        assertEquals(500, result.kept());
        // At least the body array and the entry object per entry.
        assertTrue(result.objectsPerEntry().getOrDefault("[B", 0.0) >= 1, result.objectsPerEntry().toString());
    }

    @Test
    void taggedPutPausesTimesTheSecondHalfOfItsPutsAndTheStoreKeepsThemAll() {
        TaggedPutPauses.Result result = TaggedPutPauses.measure(2_000);
        assertEquals(1_000, result.sortedNanos().length);
        assertTrue(result.sortedNanos()[0] >= 0 && result.cpuNanos() > 0 && result.allocatedBytes() > 0,
                () -> result.cpuNanos() + " ns CPU, " + result.allocatedBytes() + " B");
        // 2,000 entries of 1 KiB fit the 100 MB heap tier: every put was stored.
        assertEquals(2_000, result.sizes().stream().mapToLong(dev.responsecache.spi.TierSize::entries).sum(),
                result.sizes().toString());
    }

    @Test
    void wrkOutputIsReadIntoRateLatenciesErrorsAndHits() {
        WrkResult result = WrkResult.parse(String.join("\n",
                "Running 10s test @ http://127.0.0.1:8080/api/cached",
                "  2 threads and 50 connections",
                "  Thread Stats   Avg      Stdev     Max   +/- Stdev",
                "    Latency   680.12us    1.04ms  30.00ms   93.40%",
                "    Req/Sec    37.52k     3.12k   44.32k    70.00%",
                "  Latency Distribution",
                "     50%  473.00us",
                "     75%  700.00us",
                "     90%    1.14ms",
                "     99%    5.18ms",
                "  746612 requests in 10.00s, 891.27MB read",
                "  Socket errors: connect 0, read 2, write 1, timeout 0",
                "  Non-2xx or 3xx responses: 3",
                "Requests/sec:  74657.20",
                "Transfer/sec:     89.13MB",
                "HITS 746000 746612"));
        assertEquals(new WrkResult(74657.20, 473.0, 5180.0, 746612, 6, 746000, 746612), result);
    }

    @Test
    void tableGivesMediansAndRatiosToTheFirstRow() {
        Row plain = new Row("plain", "/plain", "plain", false);
        Row cached = new Row("cached", "/cached", "cached", true);
        WrkResult slow = new WrkResult(50, 1000, 2000, 500, 0, -1, -1);
        WrkResult fast = new WrkResult(100, 1000, 2000, 1000, 0, 90, 100);
        String table = LoadHarness.table(List.of(plain, cached),
                Map.of(plain, List.of(fast, fast, slow), cached, List.of(slow, slow, fast)),
                Map.of(plain, new long[] {2500, 2500}, cached, new long[] {2000, 20}),
                Map.of(plain, fast, cached, fast));
        assertTrue(table.contains("| plain | 100 | 50-100 | 1.00 | 1.00 | 2.00 | - | - | 0 |"), table);
        assertTrue(table.contains("| cached | 50 | 50-100 | 0.50 | 1.00 | 2.00 | 0.9900 | 0.9000 | 0 |"), table);
    }

    private HttpResponse<byte[]> get(BenchApp app, String path, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long benchmarkCount() throws IOException {
        try (InputStream list = BenchmarksSmokeTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            String text = new String(list.readAllBytes(), StandardCharsets.UTF_8);
            // One line per benchmark method; a @Param with n values gives n results.
            return text.lines().filter(line -> !line.isBlank()).mapToLong(line ->
                    line.contains("JerseyFilterChainBenchmark") ? 4
                            : line.contains("LookupBenchmark") ? 3
                            : line.contains("CodecBenchmark") || line.contains("StoreGetBenchmark")
                            || line.contains("MetricsHitBenchmark") ? 2 : 1)
                    .sum();
        }
    }
}
