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

    private ResponseCache cache;
    private CachePolicy policy;
    private BenchRequest gzip;
    private BenchRequest browser;
    private BenchRequest weighted;
    private BenchRequest identity;

    @Setup
    public void setUp() throws InterruptedException {
        byte[] document = Catalog.json("garden", Catalog.page("garden")).getBytes(StandardCharsets.UTF_8);
        cache = Fixtures.cache("ehcache", Map.of("responsecache.compress", "gzip"));
        policy = Fixtures.policy(cache);
        identity = BenchRequest.get("/api/realistic-cached", null);
        Fixtures.store(cache, policy, identity, document);
        gzip = identity.withHeader("Accept-Encoding", "gzip");
        browser = identity.withHeader("Accept-Encoding", "gzip, deflate, br");
        weighted = identity.withHeader("Accept-Encoding", "br;q=1.0, gzip;q=0.8, *;q=0.1");
        for (BenchRequest request : new BenchRequest[] {gzip, browser, weighted, identity}) {
            Lookup hit = cache.lookup(policy, request);
            if (hit.outcome() != Lookup.Outcome.HIT || hit.servesGzip() == (request == identity)) {
                throw new IllegalStateException("the entry is not stored as this benchmark expects");
            }
        }
    }

    @TearDown
    public void tearDown() {
        cache.close();
    }

    @Benchmark
    public Object gzip() {
        return cache.lookup(policy, gzip).replayHeaders("X-Cache");
    }

    /** {@code gzip, deflate, br}, as browsers send it. */
    @Benchmark
    public Object gzipDeflateBr() {
        return cache.lookup(policy, browser).replayHeaders("X-Cache");
    }

    /** {@code br;q=1.0, gzip;q=0.8, *;q=0.1}: weights to read. */
    @Benchmark
    public Object weighted() {
        return cache.lookup(policy, weighted).replayHeaders("X-Cache");
    }

    /** No {@code Accept-Encoding}: the identity answer, inflated (the body is not written here). */
    @Benchmark
    public Object withoutAcceptEncoding() {
        return cache.lookup(policy, identity).replayHeaders("X-Cache");
    }
}
