package dev.responsecache.benchmarks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Bytes the server allocates per request, per row: {@link BenchApp} in this JVM, one keep-alive connection from this
 * thread, and the allocation counters of every other thread. Far steadier than throughput on a shared machine, and
 * what a hit path's precomputation is judged by. Usage: {@code HitAllocation [requests=20000] [row,row,...]}.
 */
final class HitAllocation {

    private HitAllocation() {
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<String> wanted = args.length > 1 ? List.of(args[1].split(",")) : null;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (BenchApp app = BenchApp.start(0)) {
            for (Row row : app.rows()) {
                if (wanted != null && !wanted.contains(row.name()) || row.name().startsWith("realistic-uncached")) {
                    continue;
                }
                try (Socket socket = new Socket("127.0.0.1", app.port())) {
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
                    for (int i = 0; i < requests; i++) {
                        exchange(out, in, request(row, i));
                    }
                    long before = others(threads);
                    for (int i = requests; i < 2 * requests; i++) {
                        exchange(out, in, request(row, i));
                    }
                    long after = others(threads);
                    System.out.printf(Locale.ROOT, "%-28s %8.0f bytes allocated per request (%d requests)%n",
                            row.name(), (double) (after - before) / requests, requests);
                }
            }
        }
    }

    /**
     * The request of the row's {@code n}th exchange: a row with a fresh query (every request a miss, and its uncached
     * reference) gets a query never sent before, built here on the client's thread, which is not counted.
     */
    private static byte[] request(Row row, int n) {
        return ("GET " + row.path(Integer.toString(n)) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Bytes allocated so far by every thread but this one (the client). */
    private static long others(com.sun.management.ThreadMXBean threads) {
        long self = Thread.currentThread().getId();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            if (id != self) {
                long allocated = threads.getThreadAllocatedBytes(id);
                total += Math.max(0, allocated);
            }
        }
        return total;
    }

    /** Sends one request and reads its response (Content-Length or chunked framing). */
    private static void exchange(OutputStream out, InputStream in, byte[] request) throws IOException {
        out.write(request);
        out.flush();
        long length = -1;
        boolean chunked = false;
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).trim(), 16); size > 0; size = Long.parseLong(line(in).trim(), 16)) {
                in.skipNBytes(size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            in.skipNBytes(length);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
