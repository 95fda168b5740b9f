package dev.responsecache.benchmarks;

import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * This thread's CPU time per {@link ResponseCache#peek} hit (the lookup a hit answered in front of the runtime
 * makes), on each store given, in blocks that alternate between the stores round by round: the lookup alone, as
 * {@code LookupBenchmark.hit} measures it, but by CPU time, which a machine shared with other work disturbs far less
 * than JMH's elapsed time. Every store's cache lives in this one JVM, so the call sites they share see both. Usage:
 * {@code LookupCpu [lookups=1000000] [rounds=7] [stores=ehcache,redis-near]} (store names as {@link StoreUnderTest}
 * takes them).
 */
final class LookupCpu {

    private static volatile Object sink;

    private LookupCpu() {
    }

    public static void main(String[] args) {
        Logging.quiet();
        int lookups = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        List<String> stores = List.of((args.length > 2 ? args[2] : "ehcache," + StoreUnderTest.REDIS_NEAR).split(","));
        double[][] nanos = measure(stores, lookups, rounds);
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder("round ").append(round + 1);
            for (int s = 0; s < stores.size(); s++) {
                line.append(String.format(Locale.ROOT, "  %s %.1f ns", stores.get(s), nanos[s][round]));
            }
            System.out.println(line);
        }
        for (int s = 0; s < stores.size(); s++) {
            double[] sorted = nanos[s].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%-12s median %.1f ns, fastest %.1f ns of CPU per hit%n", stores.get(s),
                    sorted[rounds / 2], sorted[0]);
        }
    }

    /** Nanoseconds of this thread's CPU per hit: {@code [store][round]}, each after a warm-up of a quarter block. */
    static double[][] measure(List<String> stores, int lookups, int rounds) {
        BenchRequest hit = BenchRequest.get("/api/products/12345", "lang=en");
        StoreUnderTest[] opened = new StoreUnderTest[stores.size()];
        ResponseCache[] caches = new ResponseCache[stores.size()];
        CachePolicy[] policies = new CachePolicy[stores.size()];
        try {
            for (int s = 0; s < stores.size(); s++) {
                opened[s] = new StoreUnderTest(stores.get(s));
                caches[s] = opened[s].openCache();
                policies[s] = Fixtures.policy(caches[s]);
                Fixtures.store(caches[s], policies[s], hit, Fixtures.body(Fixtures.SMALL_BODY, 1));
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double[][] nanos = new double[stores.size()][rounds];
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < stores.size(); s++) {
                    for (int i = 0; i < lookups / 4; i++) {
                        sink = caches[s].peek(policies[s], hit);
                    }
                    long start = threads.getCurrentThreadCpuTime();
                    Lookup last = null;
                    for (int i = 0; i < lookups; i++) {
                        last = caches[s].peek(policies[s], hit);
                    }
                    nanos[s][round] = (double) (threads.getCurrentThreadCpuTime() - start) / lookups;
                    if (!last.answered()) {
                        throw new IllegalStateException("no hit on " + stores.get(s));
                    }
                    sink = last;
                }
            }
            return nanos;
        } finally {
            for (int s = 0; s < stores.size(); s++) {
                if (caches[s] != null) {
                    caches[s].close();
                }
                if (opened[s] != null) {
                    opened[s].close();
                }
            }
        }
    }
}
