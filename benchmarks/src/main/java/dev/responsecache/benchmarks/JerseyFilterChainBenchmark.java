package dev.responsecache.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.internal.inject.Providers;
import org.glassfish.jersey.model.internal.RankedComparator;
import org.glassfish.jersey.model.internal.RankedProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What Jersey spends on every request to merge the global post-matching filters with a method's own and sort them
 * ({@code ContainerFilteringStage}, once for the request filters and once for the response filters), as a function
 * of how many filters the method has: the cache registers up to three request filters and two response filters per
 * cached method, and this says what folding some of them into one would save.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JerseyFilterChainBenchmark {

    /** The method's own filters (the application has no global post-matching filter, as in the benchmark app). */
    @Param({"0", "1", "2", "3"})
    public int methodFilters;

    private final List<RankedProvider<Object>> global = List.of();
    private final List<RankedProvider<Object>> own = new ArrayList<>();

    @Setup
    public void setUp() {
        for (int i = 0; i < methodFilters; i++) {
            own.add(new RankedProvider<>(new Object(), 6000 - i));
        }
    }

    /** As {@code ContainerFilteringStage.apply} does it for the request filters after matching. */
    @Benchmark
    public Iterable<Object> mergeAndSort() {
        List<Iterable<RankedProvider<Object>>> ranked = new ArrayList<>(2);
        ranked.add(global);
        ranked.add(own);
        return Providers.mergeAndSortRankedProviders(new RankedComparator<>(), ranked);
    }
}
