package dev.responsecache.benchmarks;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * What a Jersey request-event listener costs every request, in CPU time and bytes allocated by the calling thread:
 * Jersey in-process (no network), outside a servlet container (where no filter in front runs stale-while-revalidate
 * refreshes), a hit ({@code /cached}, one query) and a GET of an uncached method ({@code /trivial}, a new query each
 * time), in the application as the library configures it and in the same application with a listener that watches
 * every GET to its end, as one that waits for an unmapped exception must. Blocks of each alternate, A B A B. Usage:
 * {@code RequestEventCost [rounds=9] [requests-per-block=5000]}.
 */
final class RequestEventCost {

    private RequestEventCost() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ApplicationHandler library = new ApplicationHandler(new ResourceConfig()
                .register(new BenchResource(new Runs(), "")).register(ResponseCacheFeature.class));
        ApplicationHandler watched = new ApplicationHandler(new ResourceConfig()
                .register(new BenchResource(new Runs(), "")).register(ResponseCacheFeature.class)
                .register(new EveryGetWatched()));
        for (String path : new String[] {"cached", "trivial"}) {
            boolean hit = "cached".equals(path);
            long[] counter = {0};
            for (int i = 0; i < 5; i++) {
                block(library, path, hit, requests, counter, threads);
                block(watched, path, hit, requests, counter, threads);
            }
            double[][] a = new double[2][rounds];
            double[][] b = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                double[] first = block(library, path, hit, requests, counter, threads);
                double[] second = block(watched, path, hit, requests, counter, threads);
                a[0][r] = first[0];
                a[1][r] = first[1];
                b[0][r] = second[0];
                b[1][r] = second[1];
            }
            String row = hit ? "hit" : "uncached GET";
            print(row + ", as configured", a);
            print(row + ", every GET watched", b);
        }
        library.onShutdown(null);
        watched.onShutdown(null);
    }

    private static void print(String row, double[][] figures) {
        System.out.printf(Locale.ROOT, "%-32s %7.0f ns CPU (fastest %7.0f)  %6.0f B per request%n", row,
                median(figures[0]), Arrays.stream(figures[0]).min().orElse(0), median(figures[1]));
    }

    /** CPU nanoseconds and bytes allocated per request, by this thread, for one block of GETs of {@code path}. */
    private static double[] block(ApplicationHandler handler, String path, boolean sameQuery, int requests,
                                  long[] counter, com.sun.management.ThreadMXBean threads) throws Exception {
        long id = Thread.currentThread().getId();
        long cpu = threads.getCurrentThreadCpuTime();
        long allocated = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < requests; i++) {
            InProcessJersey.getOk(handler, path, sameQuery ? 1 : ++counter[0]);
        }
        return new double[] {(double) (threads.getCurrentThreadCpuTime() - cpu) / requests,
                (double) (threads.getThreadAllocatedBytes(id) - allocated) / requests};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Watches every GET to its end and reads the request at {@code FINISHED}, doing nothing else. */
    private static final class EveryGetWatched implements ApplicationEventListener, RequestEventListener {

        private static volatile Object sink;

        @Override
        public void onEvent(ApplicationEvent event) {
            // nothing: only requests are watched
        }

        @Override
        public RequestEventListener onRequest(RequestEvent start) {
            return "GET".equals(start.getContainerRequest().getMethod()) ? this : null;
        }

        @Override
        public void onEvent(RequestEvent event) {
            if (event.getType() == RequestEvent.Type.FINISHED && event.getException() != null) {
                sink = event.getContainerRequest().getProperty("unused");
            }
        }
    }
}
