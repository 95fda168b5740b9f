package dev.responsecache.benchmarks;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.spi.TierSize;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The elapsed time of each tagged put into the Ehcache store, one thread storing a new 1 KiB entry per put with a
 * path tag all entries share and a URL tag of its own, as the every-request-a-miss row does: the slowest puts are the
 * ones that did the tag index's housekeeping (and, on a shared index lock, what every other miss waited for).
 * The store's heap tier is bounded at 100 MB (as with {@code -Xmx1g}); run with a young generation large enough that
 * no collection pauses the puts measured ({@code -Xms6g -Xmx6g -Xmn5g}). Arguments: {@code [puts]} (default 300000);
 * the second half is reported, once the cache is full and evicting, with the calling thread's mean CPU time and bytes
 * allocated per put (which the load of a shared machine inflates less than elapsed time).
 */
final class TaggedPutPauses {

    private TaggedPutPauses() {
    }

    /**
     * The second half of {@code puts} tagged puts: each put's elapsed nanoseconds (sorted), the putting thread's CPU
     * time and bytes allocated over them, and what the store holds after the last.
     */
    record Result(int puts, long[] sortedNanos, long cpuNanos, long allocatedBytes, List<TierSize> sizes) {
    }

    public static void main(String[] args) {
        Logging.quiet();
        int puts = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
        Result result = measure(puts);
        long[] sorted = result.sortedNanos();
        System.out.printf(Locale.ROOT, "last %d of %d puts: median %.1f us, p99.9 %.1f us, max %.2f ms%n",
                sorted.length, puts, sorted[sorted.length / 2] / 1e3,
                sorted[(int) (sorted.length * 0.999)] / 1e3, sorted[sorted.length - 1] / 1e6);
        // Includes building each entry and its tags (the same in every build).
        System.out.printf(Locale.ROOT, "per put, this thread: %.2f us CPU, %.0f B allocated%n",
                result.cpuNanos() / 1e3 / sorted.length, (double) result.allocatedBytes() / sorted.length);
        StringBuilder slowest = new StringBuilder();
        for (int i = sorted.length - 1; i >= Math.max(0, sorted.length - 8); i--) {
            slowest.append(String.format(Locale.ROOT, " %.2f", sorted[i] / 1e6));
        }
        System.out.println("slowest puts, ms:" + slowest + "; " + result.sizes());
    }

    static Result measure(int puts) {
        try (ResponseStore store = new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(
                Map.<String, Object>of("responsecache.ehcache.heap-size", "100m")::get), Clock.systemUTC()))) {
            long[] took = new long[puts];
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long thread = Thread.currentThread().getId();
            long cpuAtHalf = 0;
            long allocatedAtHalf = 0;
            for (int i = 0; i < puts; i++) {
                if (i == puts / 2) {
                    cpuAtHalf = threads.getCurrentThreadCpuTime();
                    allocatedAtHalf = threads.getThreadAllocatedBytes(thread);
                }
                long now = System.currentTimeMillis();
                String key = "GET /api/work-cached?n=" + i;
                CacheEntry entry = new CacheEntry(key, 200, List.of(new Header("Content-Type", "text/plain")),
                        new byte[1024], now, now + 600_000, List.of());
                Set<String> tags = Set.of("/api/work-cached", "/api/work-cached?n=" + i);
                long start = System.nanoTime();
                store.put(entry, tags, store.invalidationMark());
                took[i] = System.nanoTime() - start;
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpuAtHalf;
            long allocated = threads.getThreadAllocatedBytes(thread) - allocatedAtHalf;
            long[] measured = Arrays.copyOfRange(took, puts / 2, puts);
            Arrays.sort(measured);
            return new Result(puts, measured, cpu, allocated, store.sizes());
        }
    }
}
