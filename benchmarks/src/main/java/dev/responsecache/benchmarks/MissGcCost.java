package dev.responsecache.benchmarks;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * What the garbage collector pays for a stored miss: Jersey in-process (no network), the {@code /work} method
 * uncached and cached with a new query on every request (each a miss whose 1 KiB response is stored until Ehcache
 * evicts it), in alternating blocks of a fixed duration after the cache has filled. Per request: the CPU time of the
 * JVM's collector threads (read from {@code /proc/self/task}, Linux; the threads named {@code GC Thread#n} and
 * {@code G1 ...}) and the collectors' pause time. A stored entry that outlives young collections is copied and scanned
 * by them, which the calling thread's CPU time ({@link MissOverhead}) does not show. Run it with the heap the
 * application would have ({@code -Xms1g -Xmx1g} as the load harness): the heap tier is a tenth of it. Usage:
 * {@code MissGcCost [rounds=3] [seconds-per-block=15]}.
 */
final class MissGcCost {

    /** The kernel's clock ticks per second in {@code /proc/<pid>/task/<tid>/stat} (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    private MissGcCost() {
    }

    /** One block's totals. */
    record Block(long requests, double gcCpuMillis, double pauseMillis, long collections) {
        double gcCpuMicrosPerRequest() {
            return 1000 * gcCpuMillis / requests;
        }

        double pauseMicrosPerRequest() {
            return 1000 * pauseMillis / requests;
        }
    }

    public static void main(String[] args) throws Exception {
        Logging.quiet();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long blockNanos = TimeUnit.SECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 15);
        Block[][] blocks = measure(rounds, blockNanos);
        Block[] uncached = blocks[0];
        Block[] miss = blocks[1];
        for (int r = 0; r < rounds; r++) {
            System.out.printf(Locale.ROOT, "round %d: uncached %8d req %6.2f us GC CPU %6.2f us paused;"
                            + "  a miss %8d req %6.2f us GC CPU %6.2f us paused (per request)%n", r + 1,
                    uncached[r].requests(), uncached[r].gcCpuMicrosPerRequest(), uncached[r].pauseMicrosPerRequest(),
                    miss[r].requests(), miss[r].gcCpuMicrosPerRequest(), miss[r].pauseMicrosPerRequest());
        }
        double gcUncached = median(uncached, Block::gcCpuMicrosPerRequest);
        double gcMiss = median(miss, Block::gcCpuMicrosPerRequest);
        double pauseUncached = median(uncached, Block::pauseMicrosPerRequest);
        double pauseMiss = median(miss, Block::pauseMicrosPerRequest);
        System.out.printf(Locale.ROOT,
                "collector CPU per request: uncached %.2f us, a stored miss %.2f us (+%.2f us)%n", gcUncached, gcMiss,
                gcMiss - gcUncached);
        System.out.printf(Locale.ROOT, "paused per request:        uncached %.2f us, a stored miss %.2f us (+%.2f us)"
                + " (medians of %d rounds)%n", pauseUncached, pauseMiss, pauseMiss - pauseUncached, rounds);
    }

    /** The uncached blocks and the miss blocks, {@code rounds} of each, after a warm-up of three blocks. */
    static Block[][] measure(int rounds, long blockNanos) throws Exception {
        ApplicationHandler handler = new ApplicationHandler(new ResourceConfig()
                .register(new BenchResource(new Runs(), "")).register(ResponseCacheFeature.class));
        long[] counter = {0};
        // Warm-up: the code compiled, the cache filled to its bound (misses keep storing, Ehcache evicting).
        block(handler, "work", blockNanos, counter);
        block(handler, "work-cached", 2 * blockNanos, counter);
        Block[] uncached = new Block[rounds];
        Block[] miss = new Block[rounds];
        try {
            for (int r = 0; r < rounds; r++) {
                uncached[r] = block(handler, "work", blockNanos, counter);
                miss[r] = block(handler, "work-cached", blockNanos, counter);
            }
        } finally {
            handler.onShutdown(null);
        }
        return new Block[][] {uncached, miss};
    }

    private static Block block(ApplicationHandler handler, String path, long nanos, long[] counter)
            throws Exception {
        double gcCpu = collectorCpuMillis();
        long[] pauses = pauses();
        long started = System.nanoTime();
        long requests = 0;
        // At least one batch: a thread descheduled past the block's length before its first check served none.
        do {
            for (int i = 0; i < 1000; i++) {
                InProcessJersey.getOk(handler, path, ++counter[0]);
            }
            requests += 1000;
        } while (System.nanoTime() - started < nanos);
        long[] after = pauses();
        return new Block(requests, collectorCpuMillis() - gcCpu, after[0] - pauses[0], after[1] - pauses[1]);
    }

    /** The collectors' total pause milliseconds and collection count so far. */
    private static long[] pauses() {
        long millis = 0;
        long count = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
            count += Math.max(0, collector.getCollectionCount());
        }
        return new long[] {millis, count};
    }

    /** CPU milliseconds of this JVM's garbage collector threads so far, or NaN where {@code /proc} is absent. */
    private static double collectorCpuMillis() throws IOException {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return Double.NaN;
        }
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // utime and stime: fields 14 and 15 of stat, 12 and 13 after the name.
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
        }
        return 1000 * ticks / TICKS_PER_SECOND;
    }

    private static double median(Block[] blocks, java.util.function.ToDoubleFunction<Block> figure) {
        double[] values = Arrays.stream(blocks).mapToDouble(figure).sorted().toArray();
        return values[values.length / 2];
    }
}
