package dev.responsecache.benchmarks;

import dev.responsecache.core.CachePolicy;
import dev.responsecache.spi.Header;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import java.util.List;
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
 * The core's share of a cache hit: {@link ResponseCache#lookup} (key, one store get, freshness, ETag) and the
 * headers an adapter replays. What remains of a hit is the web stack's own work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LookupBenchmark {

    /**
     * Store names: the embedded store, Redis over loopback (a real redis-server the benchmark starts), and Redis with
     * a near tier in front ({@link StoreUnderTest#REDIS_NEAR}).
     */
    @Param({"ehcache", "redis", StoreUnderTest.REDIS_NEAR})
    public String store;

    private StoreUnderTest storeUnderTest;
    private ResponseCache cache;
    private CachePolicy policy;
    private BenchRequest hit;
    private BenchRequest revalidation;
    private BenchRequest miss;

    @Setup(Level.Trial)
    public void setUp() {
        storeUnderTest = new StoreUnderTest(store);
        cache = storeUnderTest.openCache();
        policy = Fixtures.policy(cache);
        hit = BenchRequest.get("/api/products/12345", "lang=en");
        String etag = Fixtures.store(cache, policy, hit, Fixtures.body(Fixtures.SMALL_BODY, 1)).etag();
        revalidation = hit.withHeader("If-None-Match", etag);
        miss = BenchRequest.get("/api/products/99999", "lang=en");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        storeUnderTest.close();
    }

    @Benchmark
    public Lookup hit() {
        return cache.lookup(policy, hit);
    }

    @Benchmark
    public List<Header> hitWithReplayHeaders() {
        return cache.lookup(policy, hit).replayHeaders("X-Cache");
    }

    @Benchmark
    public Lookup notModified() {
        return cache.lookup(policy, revalidation);
    }

    /** A miss leads its key (concurrent misses wait for it) until released, as an adapter does after storing. */
    @Benchmark
    public Lookup missAndRelease() {
        Lookup lookup = cache.lookup(policy, miss);
        cache.release(lookup);
        return lookup;
    }
}
