package dev.responsecache.core;

import dev.responsecache.benchmarks.BenchRequest;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Building the canonical key. The key builder is deliberately not public API, so this one benchmark lives in the
 * core's package name (the benchmarks module runs on the class path, where a package may span jars); every other
 * benchmark goes through public API.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyBenchmark {

    private CachePolicy plain;
    private CachePolicy byLanguage;
    private BenchRequest pathOnly;
    private BenchRequest withQuery;
    private BenchRequest withHeader;

    @Setup
    public void setUp() {
        plain = new CachePolicy(Duration.ofHours(1), List.of(), Set.of(200), false);
        byLanguage = new CachePolicy(Duration.ofHours(1),
                List.of(VaryToken.parse("header:Accept-Language")), Set.of(200), false);
        pathOnly = BenchRequest.get("/api/products/12345", null);
        withQuery = BenchRequest.get("/api/products", "sort=price&page=3&q=red%20shoes&q=boots");
        withHeader = pathOnly.withHeader("Accept-Language", "en-GB,en;q=0.8");
    }

    @Benchmark
    public String pathOnly() {
        return CacheKeys.of(pathOnly, plain);
    }

    @Benchmark
    public String pathAndQuery() {
        return CacheKeys.of(withQuery, plain);
    }

    @Benchmark
    public String pathAndVaryHeader() {
        return CacheKeys.of(withHeader, byLanguage);
    }
}
