package dev.responsecache.benchmarks;

import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.ResponseCache;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Heap held per cached response on the Ehcache store: fills a cache with N distinct entries and divides the growth
 * of the used heap after full collections by N.
 *
 * <p>Measured this way rather than with an object-layout tool because what the operator pays is everything the store
 * keeps per entry: the body, the entry object, its headers, the key string and Ehcache's own mapping and value
 * holder. A layout tool walking one entry would miss Ehcache's part. The live objects per class are diffed the same
 * way, since the collector pays per object as well as per byte. Arguments: {@code [entries]} (default 20000).
 */
final class HeapPerEntry {

    /**
     * @param bodyBytes     body size of each entry
     * @param entries       entries filled
     * @param kept          entries the store still held at the end (all of them, or the figure means nothing)
     * @param bytesPerEntry heap growth per entry
     */
    record Result(int bodyBytes, int entries, int kept, double bytesPerEntry, Map<String, Double> objectsPerEntry) {
        /** Objects held per entry, all classes. */
        double objects() {
            return objectsPerEntry.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private HeapPerEntry() {
    }

    public static void main(String[] args) {
        Logging.quiet();
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        for (int size : new int[] {Fixtures.SMALL_BODY, Fixtures.LARGE_BODY}) {
            Result result = measure(size, entries);
            System.out.printf(Locale.ROOT,
                    "heap per entry, %5d-byte body: %.0f bytes (%.2f KiB, %.2f x body; %d entries, %d kept)%n",
                    size, result.bytesPerEntry(), result.bytesPerEntry() / 1024, result.bytesPerEntry() / size,
                    entries, result.kept());
            StringBuilder classes = new StringBuilder();
            result.objectsPerEntry().forEach((name, count) -> {
                if (count >= 0.5) {
                    classes.append(String.format(Locale.ROOT, "%n  %5.2f %s", count, name));
                }
            });
            System.out.printf(Locale.ROOT, "  objects per entry: %.2f%s%n", result.objects(), classes);
        }
    }

    static Result measure(int bodyBytes, int entries) {
        try (ResponseCache cache = Fixtures.cache("ehcache",
                Map.of("responsecache.ehcache.max-entries", Integer.toString(entries)))) {
            CachePolicy policy = Fixtures.policy(cache);
            // The requests are built up front so that only what the store keeps grows between the two readings.
            BenchRequest[] requests = new BenchRequest[entries];
            for (int i = 0; i < entries; i++) {
                requests[i] = BenchRequest.get("/api/products/" + (100_000 + i), null);
            }
            long before = usedAfterGc();
            Map<String, Long> objectsBefore = liveObjects();
            for (int i = 0; i < entries; i++) {
                Fixtures.store(cache, policy, requests[i], Fixtures.body(bodyBytes, i));
            }
            long after = usedAfterGc();
            Map<String, Long> objectsAfter = liveObjects();
            Map<String, Double> objectsPerEntry = new TreeMap<>();
            objectsAfter.forEach((name, count) -> {
                double added = (double) (count - objectsBefore.getOrDefault(name, 0L)) / entries;
                if (Math.abs(added) >= 0.01) {
                    objectsPerEntry.put(name, added);
                }
            });
            int kept = 0;
            for (BenchRequest request : requests) {
                if (cache.lookup(policy, request).answered()) {
                    kept++;
                }
            }
            return new Result(bodyBytes, entries, kept, (double) (after - before) / entries, objectsPerEntry);
        }
    }

    /**
     * Live objects per class, from the JVM's own class histogram ({@code jcmd <pid> GC.class_histogram}, which
     * collects first), asked in-process through its diagnostic command bean.
     */
    private static Map<String, Long> liveObjects() {
        String histogram;
        try {
            histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IllegalStateException("the class histogram is not available", e);
        }
        Map<String, Long> objects = new HashMap<>();
        for (String line : histogram.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[0].endsWith(":")) {
                objects.put(fields[3], Long.parseLong(fields[1]));
            }
        }
        return objects;
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
