package dev.responsecache.benchmarks;

import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The decision and headers of a hit on an entry kept gzip-compressed (no body written: {@link GzipBodyBenchmark}
 * has that): the lookup, which reads the request's {@code Accept-Encoding}, and the replayed headers, which carry
 * the gzip representation's {@code ETag}. Run with {@code -prof gc}: the allocation per hit is the figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GzipHitBenchmark {

    /** The {@code Accept-Encoding} of the client; {@code none} for a request without one. */
    @Param({"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1", "none"})
    public String acceptEncoding;

    private ResponseCache cache;
    private CachePolicy policy;
    private BenchRequest request;

    @Setup
    public void setUp() throws InterruptedException {
        byte[] document = Catalog.json("garden", Catalog.page("garden")).getBytes(StandardCharsets.UTF_8);
        cache = Fixtures.cache("ehcache", Map.of("responsecache.compress", "gzip"));
        policy = Fixtures.policy(cache);
        BenchRequest plain = BenchRequest.get("/api/realistic-cached", null);
        Fixtures.store(cache, policy, plain, document);
        request = acceptEncoding.equals("none") ? plain : plain.withHeader("Accept-Encoding", acceptEncoding);
        Lookup hit = cache.lookup(policy, request);
        if (hit.outcome() != Lookup.Outcome.HIT || hit.servesGzip() == acceptEncoding.equals("none")) {
            throw new IllegalStateException("the entry is not stored as this benchmark expects");
        }
    }

    @TearDown
    public void tearDown() {
        cache.close();
    }

    @Benchmark
    public Object hitHeaders() {
        return cache.lookup(policy, request).replayHeaders("X-Cache");
    }
}
