package dev.responsecache.benchmarks;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The miss path's overhead over an uncached method, in CPU time and bytes allocated per request: Jersey in-process
 * (no network), the same method with a fixed small cost of its own ({@code /work}) uncached and cached with a new
 * query on every request (each a miss: lookup, coalescing lead, capture, store into Ehcache). Blocks of each
 * alternate, A B A B, and every figure is the calling thread's own CPU time and allocation, which other processes
 * on a shared machine do not inflate the way they inflate elapsed time. Usage:
 * {@code MissOverhead [rounds=9] [requests-per-block=3000]}.
 */
final class MissOverhead {

    private MissOverhead() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ApplicationHandler handler = new ApplicationHandler(new ResourceConfig()
                .register(new BenchResource(new Runs(), "")).register(ResponseCacheFeature.class));
        long[] counter = {0};
        for (int i = 0; i < 5; i++) {
            block(handler, "work", requests, counter, threads);
            block(handler, "work-cached", requests, counter, threads);
        }
        double[][] uncached = new double[2][rounds];
        double[][] miss = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            double[] a = block(handler, "work", requests, counter, threads);
            double[] b = block(handler, "work-cached", requests, counter, threads);
            uncached[0][r] = a[0];
            uncached[1][r] = a[1];
            miss[0][r] = b[0];
            miss[1][r] = b[1];
        }
        double cpuUncached = median(uncached[0]);
        double cpuMiss = median(miss[0]);
        System.out.printf(Locale.ROOT, "uncached method  %8.0f ns CPU  %8.0f B per request%n", cpuUncached,
                median(uncached[1]));
        System.out.printf(Locale.ROOT, "cached, a miss   %8.0f ns CPU  %8.0f B per request%n", cpuMiss,
                median(miss[1]));
        System.out.printf(Locale.ROOT, "miss overhead    %+7.1f%% CPU (medians of %d rounds of %d requests each)%n",
                100 * (cpuMiss / cpuUncached - 1), rounds, requests);
        // Other processes inflate a thread's CPU time too (shared caches, frequency): the least inflated round of
        // each, on a loaded machine, is nearer the cost itself.
        double fastestUncached = Arrays.stream(uncached[0]).min().orElse(0);
        double fastestMiss = Arrays.stream(miss[0]).min().orElse(0);
        System.out.printf(Locale.ROOT, "fastest rounds   %8.0f ns CPU uncached, %8.0f ns CPU a miss: %+7.1f%%%n",
                fastestUncached, fastestMiss, 100 * (fastestMiss / fastestUncached - 1));
        handler.onShutdown(null);
    }

    /** CPU nanoseconds and bytes allocated per request, by this thread, for one block of requests to {@code path}. */
    private static double[] block(ApplicationHandler handler, String path, int requests, long[] counter,
                                  com.sun.management.ThreadMXBean threads) throws Exception {
        long id = Thread.currentThread().getId();
        long cpu = threads.getCurrentThreadCpuTime();
        long allocated = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < requests; i++) {
            InProcessJersey.getOk(handler, path, ++counter[0]);
        }
        return new double[] {(double) (threads.getCurrentThreadCpuTime() - cpu) / requests,
                (double) (threads.getThreadAllocatedBytes(id) - allocated) / requests};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
