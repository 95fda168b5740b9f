package dev.responsecache.benchmarks;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.core.ResponseCache;

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

/** The versioned binary form every byte-keeping store (Redis, Ehcache off-heap) writes and reads. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    @Param({"1024", "10240"})
    public int bodyBytes;

    private ResponseCache cache;
    private CacheEntry entry;
    private byte[] encoded;

    @Setup(Level.Trial)
    public void setUp() {
        cache = Fixtures.cache("ehcache", Map.of());
        CachePolicy policy = Fixtures.policy(cache);
        entry = Fixtures.store(cache, policy, BenchRequest.get("/api/products/12345", null),
                Fixtures.body(bodyBytes, 1));
        encoded = EntryCodec.encode(entry);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
    }

    @Benchmark
    public byte[] encode() {
        return EntryCodec.encode(entry);
    }

    @Benchmark
    public CacheEntry decode() {
        return EntryCodec.decode(encoded);
    }
}
