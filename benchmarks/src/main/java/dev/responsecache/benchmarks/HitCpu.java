package dev.responsecache.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

import org.eclipse.jetty.server.LocalConnector;

/**
 * CPU time per request of the {@link BenchApp}'s paths, through Jetty's {@link LocalConnector}: the whole of Jetty's
 * HTTP/1.1 handling (parsing, the servlet and filter chain, generating the head and body) with no socket, so no system
 * call and no wake-up of another thread, which make most of a request's CPU on the network and most of its noise on a
 * shared machine. The request runs on this thread, which also parses the response (the same bytes for two builds of
 * one path). Every path in turn, for several rounds: compare the last rounds, once the JIT has settled. With
 * {@code split}, each round also runs the requests again reading this thread's CPU clock around the server's part
 * (Jetty handles the request inside {@code addInput}, on this thread) and the client's (parsing the response, whose
 * cost grows with every header line), which adds the clock reads to both. A path holding {@code {fresh}} gets a value
 * there never sent before on every request (the miss rows: {@code /api/work?n={fresh},/api/work-cached?n={fresh}}),
 * built on this thread for both rows alike. Usage:
 * {@code HitCpu [requests=20000] [paths=/plain,/filtered/page,/early/cached] [rounds=6] [split]}.
 */
final class HitCpu {

    /** Where a path takes a value never sent before. */
    private static final String FRESH = "{fresh}";
    /** The values given so far (one thread sends every request). */
    private static long sent;

    private HitCpu() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<String> paths = List.of((args.length > 1 ? args[1] : "/plain,/filtered/page,/early/cached").split(","));
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        boolean split = args.length > 3 && args[3].equals("split");
        try (BenchApp app = BenchApp.start(0)) {
            LocalConnector.LocalEndPoint endPoint = connect(app);
            for (int round = 1; round <= rounds; round++) {
                for (String path : paths) {
                    nanosPerRequest(endPoint, path, requests / 4);
                    System.out.printf(Locale.ROOT, "round %d %-24s %8.0f ns of CPU per request%n", round, path,
                            nanosPerRequest(endPoint, path, requests));
                    if (split) {
                        long[] parts = serverAndClientNanos(endPoint, path, requests);
                        System.out.printf(Locale.ROOT, "round %d %-24s %8d ns server %8d ns client (clock reads in both)%n",
                                round, path, parts[0] / requests, parts[1] / requests);
                    }
                }
            }
        }
    }

    /** A connection without a socket to {@code app}'s server. */
    static LocalConnector.LocalEndPoint connect(BenchApp app) throws Exception {
        LocalConnector local = new LocalConnector(app.server());
        app.server().addConnector(local);
        local.start();
        return local.connect();
    }

    /** CPU time per request of {@code requests} GETs of {@code path} on {@code endPoint}, in nanoseconds. */
    static double nanosPerRequest(LocalConnector.LocalEndPoint endPoint, String path, int requests) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = cpu(threads);
        for (int i = 0; i < requests; i++) {
            exchange(endPoint, path);
        }
        return (double) (cpu(threads) - before) / requests;
    }

    /**
     * This thread's CPU time in {@code requests} GETs of {@code path}: the server's part (Jetty's handling, which runs
     * inside {@code addInput}) and the client's (waiting for and parsing the response), in nanoseconds.
     */
    static long[] serverAndClientNanos(LocalConnector.LocalEndPoint endPoint, String path, int requests)
            throws Exception {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean fresh = path.contains(FRESH);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
        long server = 0;
        long client = 0;
        for (int i = 0; i < requests; i++) {
            long start = threads.getCurrentThreadCpuTime();
            endPoint.addInput(fresh ? withFresh(request) : request);
            long handled = threads.getCurrentThreadCpuTime();
            if (endPoint.getResponse() == null) {
                throw new IllegalStateException("no response to GET " + path);
            }
            long parsed = threads.getCurrentThreadCpuTime();
            server += handled - start;
            client += parsed - handled;
        }
        return new long[] {server, client};
    }

    /** One GET of {@code path}: the response, status line and headers and body. */
    static String exchange(LocalConnector.LocalEndPoint endPoint, String path) throws Exception {
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n";
        endPoint.addInput(request.contains(FRESH) ? withFresh(request) : request);
        String response = endPoint.getResponse();
        if (response == null) {
            throw new IllegalStateException("no response to GET " + path);
        }
        return response;
    }

    /** {@code request} with its {@code {fresh}} replaced by a value no request of this run had before. */
    private static String withFresh(String request) {
        return request.replace(FRESH, Long.toString(++sent));
    }

    /** CPU time of every thread so far: the request's own and any the server hands work to. */
    private static long cpu(com.sun.management.ThreadMXBean threads) {
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            total += Math.max(0, threads.getThreadCpuTime(id));
        }
        return total;
    }
}
