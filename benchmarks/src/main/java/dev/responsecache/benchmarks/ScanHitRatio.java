package dev.responsecache.benchmarks;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The hot set's hit ratio under a scan of one-off keys, with and without admission ({@code responsecache.admission}):
 * Jersey in-process, Ehcache bounded to {@code capacity} entries; a hot set of half as many keys ({@code /cached}),
 * asked for uniformly, mixed with keys asked for once each ({@code /work-cached}, a new query per request) in the
 * given share. The cache's ticker advances 1 ms per request, so that pressure is read once every 1,000 requests
 * whatever the machine's speed: the figures are the same on every run. Per mode: the hot requests' hit ratio, the
 * entries stored per request, and the calling thread's CPU per request (that one is the machine's). Usage:
 * {@code ScanHitRatio [capacity=2000] [requests=200000] [scan-percent=50,90]}.
 */
final class ScanHitRatio {

    private ScanHitRatio() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int capacity = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        String[] shares = (args.length > 2 ? args[2] : "50,90").split(",");
        for (String share : shares) {
            int scanPercent = Integer.parseInt(share.trim());
            for (String admission : new String[] {"off", "when-evicting"}) {
                System.out.println(run(capacity, requests, scanPercent, admission).line());
            }
        }
    }

    /** One mode's figures. */
    record Result(int scanPercent, String admission, long hotRequests, long hotMisses, long requests,
                  int capacity, double cpuMicros) {
        double hotHitRatio() {
            return (double) (hotRequests - hotMisses) / hotRequests;
        }

        String line() {
            return String.format(Locale.ROOT, "scan %2d%%  admission %-13s hot hit ratio %5.1f%%  overall %5.1f%%"
                            + "  (%d hot, %d one-off requests; capacity %d, hot set %d)  %.1f us CPU per request",
                    scanPercent, admission, 100 * hotHitRatio(), 100.0 * (hotRequests - hotMisses) / requests,
                    hotRequests, requests - hotRequests, capacity, capacity / 2, cpuMicros);
        }
    }

    static Result run(int capacity, int requests, int scanPercent, String admission) throws Exception {
        Runs runs = new Runs();
        long[] requestsSent = {0};
        LongSupplier ticker = () -> requestsSent[0] * 1_000_000L;
        ApplicationHandler handler = new ApplicationHandler(new ResourceConfig()
                .register(new BenchResource(runs, "")).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, String.valueOf(capacity))
                .property(ResponseCacheProperties.ADMISSION, admission)
                .property(ResponseCacheProperties.TICKER, ticker));
        int hot = capacity / 2;
        SplittableRandom random = new SplittableRandom(42);
        long oneOff = 0;
        // Warm-up: the hot set stored, then the mix until the store has been evicting for a while.
        for (int k = 0; k < hot; k++) {
            requestsSent[0]++;
            InProcessJersey.getOk(handler, "cached", k);
        }
        for (int i = 0; i < 4 * capacity; i++) {
            requestsSent[0]++;
            oneOff = send(handler, random, hot, scanPercent, oneOff);
        }
        long hotRunsBefore = runs.of("cached");
        long scanRunsBefore = runs.of("work-cached");
        long hotRequests = 0;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < requests; i++) {
            requestsSent[0]++;
            long before = oneOff;
            oneOff = send(handler, random, hot, scanPercent, oneOff);
            hotRequests += oneOff == before ? 1 : 0;
        }
        double cpuMicros = (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / requests;
        long hotMisses = runs.of("cached") - hotRunsBefore;
        if (runs.of("work-cached") - scanRunsBefore != requests - hotRequests) {
            throw new IllegalStateException("a one-off request was answered from the cache");
        }
        handler.onShutdown(null);
        return new Result(scanPercent, admission, hotRequests, hotMisses, requests, capacity, cpuMicros);
    }

    /** One request: a hot key, or a new one-off key; returns the one-off keys sent so far. */
    private static long send(ApplicationHandler handler, SplittableRandom random, int hot, int scanPercent,
                             long oneOff) throws Exception {
        if (random.nextInt(100) < scanPercent) {
            InProcessJersey.getOk(handler, "work-cached", ++oneOff);
            return oneOff;
        }
        InProcessJersey.getOk(handler, "cached", random.nextInt(hot));
        return oneOff;
    }
}
