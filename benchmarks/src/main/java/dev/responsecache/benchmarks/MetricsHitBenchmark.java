package dev.responsecache.benchmarks;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What metrics add to a hit on the embedded store: the same {@link ResponseCache#lookup} with no registry, and with a
 * Prometheus registry (the hit counter of its route, and the timer of its store get).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsHitBenchmark {

    @Param({"off", "on"})
    public String metrics;

    private PrometheusMeterRegistry registry;
    private ResponseCache cache;
    private CachePolicy policy;
    private BenchRequest hit;

    @Setup(Level.Trial)
    public void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        cache = Fixtures.cache("ehcache", "on".equals(metrics)
                ? Map.of(ResponseCacheProperties.METER_REGISTRY, registry) : Map.of());
        policy = Fixtures.policy(cache).withRoute("ProductResource#product");
        hit = BenchRequest.get("/api/products/12345", "lang=en");
        Fixtures.store(cache, policy, hit, Fixtures.body(Fixtures.SMALL_BODY, 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        registry.close();
    }

    @Benchmark
    public Lookup hit() {
        return cache.lookup(policy, hit);
    }
}
