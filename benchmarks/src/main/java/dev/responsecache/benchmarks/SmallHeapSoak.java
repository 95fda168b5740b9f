package dev.responsecache.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small-heap soak: starts {@link SoakApp} in its own JVM with a small heap, drives it with requests for distinct ids
 * (every request a miss whose 64 KiB response is stored), and prints, every interval, the throughput, failed or
 * short responses, and the application's heap after GC. A cache bounded by the heap keeps serving at a steady rate;
 * one bounded by entry count runs out of heap.
 *
 * <p>{@code SmallHeapSoak <xmx> <seconds> <clients> [-Dname=value ...]}: the extra arguments are passed to the
 * application's JVM, for example {@code -Dresponsecache.ehcache.max-entries=10000} to measure the count bound.
 */
final class SmallHeapSoak {

    private static final long INTERVAL_SECONDS = 5;

    private SmallHeapSoak() {
    }

    public static void main(String[] args) throws Exception {
        String xmx = args.length > 0 ? args[0] : "128m";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + xmx, "-Xms" + xmx));
        for (int i = 3; i < args.length; i++) {
            command.add(args[i]);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SoakApp.class.getName()));
        Path log = Path.of("target", "soak-app.log");
        Files.createDirectories(log.getParent());
        Process app = new ProcessBuilder(command).redirectError(log.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (first == null || !first.startsWith("PORT ")) {
                throw new IllegalStateException("the soak app did not start; see " + log);
            }
            URI base = URI.create("http://127.0.0.1:" + first.substring(5).trim());
            System.out.printf("soak: -Xmx%s %s, %d clients, %d s, distinct ids, %d KiB bodies%n", xmx,
                    command.subList(3, command.size() - 3), clients, seconds, SoakApp.BODY / 1024);
            drive(base, seconds, clients);
        } finally {
            app.getOutputStream().close();
            if (!app.waitFor(10, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        }
    }

    private static void drive(URI base, int seconds, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong ids = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            pool.execute(() -> {
                while (running.get()) {
                    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/blob/" + ids.incrementAndGet()))
                            .timeout(Duration.ofSeconds(10)).build();
                    try {
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() == 200 && response.body().length == SoakApp.BODY) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        System.out.println("  second   req/s  failed  heap-after-gc  gc-count  gc-time");
        long lastOk = 0;
        long lastFailed = 0;
        for (long t = INTERVAL_SECONDS; t <= seconds; t += INTERVAL_SECONDS) {
            Thread.sleep(TimeUnit.SECONDS.toMillis(INTERVAL_SECONDS));
            long nowOk = ok.get();
            long nowFailed = failed.get();
            String heap = heap(http, base);
            System.out.printf("  %6d %7.0f %7d %s%n", t, (nowOk - lastOk) / (double) INTERVAL_SECONDS,
                    nowFailed - lastFailed, heap);
            lastOk = nowOk;
            lastFailed = nowFailed;
        }
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        System.out.printf("total: %d responses of %d KiB stored from distinct ids, %d failed%n", ok.get(),
                SoakApp.BODY / 1024, failed.get());
    }

    private static String heap(HttpClient http, URI base) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/heap"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            String[] parts = response.body().trim().split(" ");
            return String.format("%10.1f MB %9s %7s ms", Long.parseLong(parts[0]) / 1048576.0, parts[1], parts[2]);
        } catch (IOException | RuntimeException e) {
            return "  (no answer: " + e.getClass().getSimpleName() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "  (interrupted)";
        }
    }
}
