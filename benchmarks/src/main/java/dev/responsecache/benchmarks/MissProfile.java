package dev.responsecache.benchmarks;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicReference;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * Where a miss's CPU goes outside the method, part by part, against the same method uncached: {@link MissOverhead}'s
 * setup (Jersey in-process, {@code /work} against {@code /work-cached} with a new query each time), the uncached
 * requests on one thread and the misses on another, in alternating blocks, under a JFR execution sampler at 1 ms. Each
 * sample is given to the first part (in the order of the table) whose frame is on its stack, and counted per thread,
 * so the difference per part is what a miss adds there. Samples are a thread's running time, which load on a shared
 * machine inflates for both threads alike: compare the parts within one run. Run with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints} (else samples land on the nearest safepoint).
 * Usage: {@code MissProfile [blocks=100] [requests-per-block=3000]}.
 */
final class MissProfile {

    /** Parts of a request, each named by the frames that mark it, in the order a sample is given to them. */
    static final Map<String, List<String>> PARTS = parts();

    private MissProfile() {
    }

    private static Map<String, List<String>> parts() {
        Map<String, List<String>> parts = new LinkedHashMap<>();
        parts.put("store (ResponseCache.store: rules, ETag, Ehcache put, tag index)", List.of("ResponseCache.store"));
        parts.put("pre-matching peek (PreMatchingHits: key, store read)", List.of("PreMatchingHits.filter"));
        parts.put("the key built by the method's lookup (CacheKeys.of)", List.of("CacheKeys.of"));
        parts.put("the method's lookup, the rest (coalescing, tags, mark)", List.of("ResponseCache.lookup"));
        parts.put("request filters: ApplicationPipeline, ServletSessionProbe, CachingFilter",
                List.of("ApplicationPipeline.filter", "ServletSessionProbe.filter", "CachingFilter.filter#request"));
        parts.put("response filters: SnapshotFilter, CachingFilter (Vary, Cache-Status, rules)",
                List.of("SnapshotFilter.filter", "CachingFilter.filter#response"));
        parts.put("writer interceptor: capture, sent headers, early route", List.of("CachingFilter.aroundWriteTo"));
        parts.put("Jersey: merging and sorting the filter chains", List.of("Providers.mergeAndSortRankedProviders",
                "Providers.sortRankedProviders"));
        parts.put("Jersey: the rest", List.of(""));
        return parts;
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        ApplicationHandler handler = new ApplicationHandler(new ResourceConfig()
                .register(new BenchResource(new Runs(), "")).register(ResponseCacheFeature.class));
        long[] counter = {0};
        // Warm-up, not recorded.
        alternate(handler, 10, requests, counter);
        Path file = Files.createTempFile("miss-profile", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            alternate(handler, blocks, requests, counter);
            recording.stop();
            recording.dump(file);
        }
        handler.onShutdown(null);
        Map<String, long[]> samples = new LinkedHashMap<>();
        PARTS.keySet().forEach(part -> samples.put(part, new long[2]));
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            String thread = event.getThread("sampledThread") == null ? null
                    : event.getThread("sampledThread").getJavaName();
            int side = "uncached".equals(thread) ? 0 : "miss".equals(thread) ? 1 : -1;
            if (side < 0) {
                continue;
            }
            List<String> frames = new ArrayList<>();
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                String type = frame.getMethod().getType().getName();
                String name = type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
                if (name.equals("CachingFilter.filter")) {
                    name += frame.getMethod().getDescriptor().contains("ContainerResponseContext") ? "#response"
                            : "#request";
                }
                frames.add(name);
            }
            if (frames.stream().anyMatch(frame -> frame.startsWith("BenchResource.work"))) {
                continue;
            }
            for (Map.Entry<String, List<String>> part : PARTS.entrySet()) {
                if (part.getValue().stream().anyMatch(mark -> frames.stream().anyMatch(f -> f.startsWith(mark)))) {
                    samples.get(part.getKey())[side]++;
                    break;
                }
            }
        }
        Files.delete(file);
        double perRequest = 1_000.0 / ((double) blocks * requests);
        System.out.printf(Locale.ROOT, "%-76s %9s %9s %9s%n", "us per request outside the method (1 sample: 1 ms)",
                "uncached", "a miss", "added");
        long[] total = new long[2];
        for (Map.Entry<String, long[]> part : samples.entrySet()) {
            long[] counts = part.getValue();
            total[0] += counts[0];
            total[1] += counts[1];
            System.out.printf(Locale.ROOT, "%-76s %9.2f %9.2f %+9.2f%n", part.getKey(), counts[0] * perRequest,
                    counts[1] * perRequest, (counts[1] - counts[0]) * perRequest);
        }
        System.out.printf(Locale.ROOT, "%-76s %9.2f %9.2f %+9.2f%n", "total", total[0] * perRequest,
                total[1] * perRequest, (total[1] - total[0]) * perRequest);
    }

    /** Blocks of uncached requests (thread "uncached") and of misses (thread "miss"), one after the other. */
    private static void alternate(ApplicationHandler handler, int blocks, int requests, long[] counter)
            throws InterruptedException {
        SynchronousQueue<Boolean> uncachedTurn = new SynchronousQueue<>();
        SynchronousQueue<Boolean> missTurn = new SynchronousQueue<>();
        Thread uncached = new Thread(() -> run(handler, "work", blocks, requests, counter, uncachedTurn, missTurn),
                "uncached");
        Thread miss = new Thread(() -> run(handler, "work-cached", blocks, requests, counter, missTurn,
                uncachedTurn), "miss");
        // A thread that fails must not leave the other waiting for its turn forever: both stop, and the run fails.
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.UncaughtExceptionHandler stopBoth = (thread, e) -> {
            failure.compareAndSet(null, e);
            uncached.interrupt();
            miss.interrupt();
        };
        uncached.setUncaughtExceptionHandler(stopBoth);
        miss.setUncaughtExceptionHandler(stopBoth);
        uncached.start();
        miss.start();
        uncachedTurn.put(Boolean.TRUE);
        uncached.join();
        miss.join();
        if (failure.get() != null) {
            throw new IllegalStateException("a profiled thread failed", failure.get());
        }
    }

    private static void run(ApplicationHandler handler, String path, int blocks, int requests, long[] counter,
                            SynchronousQueue<Boolean> mine, SynchronousQueue<Boolean> theirs) {
        try {
            for (int block = 0; block < blocks; block++) {
                mine.take();
                for (int i = 0; i < requests; i++) {
                    InProcessJersey.getOk(handler, path, ++counter[0]);
                }
                // The uncached thread always hands over; the miss thread does except after its last block.
                if (path.equals("work") || block < blocks - 1) {
                    theirs.put(Boolean.TRUE);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
