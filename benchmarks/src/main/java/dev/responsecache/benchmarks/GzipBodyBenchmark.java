package dev.responsecache.benchmarks;

import dev.responsecache.core.CachePolicy;
import dev.responsecache.core.Lookup;
import dev.responsecache.core.ResponseCache;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What compressed storage costs per request on the realistic 10 KiB JSON document: storing a miss (the compression
 * runs once, there), and writing a hit's body to a gzip client (the stored bytes) and to an identity client (inflated
 * on every hit), against an entry stored as it is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GzipBodyBenchmark {

    private ResponseCache plain;
    private ResponseCache compressing;
    private CachePolicy plainPolicy;
    private CachePolicy compressingPolicy;
    private byte[] document;
    private Lookup plainHit;
    private Lookup gzipHit;
    private Lookup inflatedHit;
    private long misses;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        document = Catalog.json("garden", Catalog.page("garden")).getBytes(StandardCharsets.UTF_8);
        plain = Fixtures.cache("ehcache", Map.of());
        compressing = Fixtures.cache("ehcache", Map.of("responsecache.compress", "gzip"));
        plainPolicy = Fixtures.policy(plain);
        compressingPolicy = Fixtures.policy(compressing);
        BenchRequest request = BenchRequest.get("/api/realistic-cached", null);
        Fixtures.store(plain, plainPolicy, request, document);
        Fixtures.store(compressing, compressingPolicy, request, document);
        plainHit = plain.lookup(plainPolicy, request);
        inflatedHit = compressing.lookup(compressingPolicy, request);
        gzipHit = compressing.lookup(compressingPolicy, request.withHeader("Accept-Encoding", "gzip"));
        if (!gzipHit.servesGzip() || inflatedHit.servesGzip() || plainHit.servesGzip()) {
            throw new IllegalStateException("the entries are not stored as this benchmark expects");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plain.close();
        compressing.close();
    }

    @Benchmark
    public Object storeMissAsItIs() {
        return Fixtures.store(plain, plainPolicy, BenchRequest.get("/api/realistic/" + misses++, null), document);
    }

    @Benchmark
    public Object storeMissCompressed() {
        return Fixtures.store(compressing, compressingPolicy, BenchRequest.get("/api/realistic/" + misses++, null),
                document);
    }

    @Benchmark
    public void writeHitAsStored(Blackhole hole) throws IOException {
        plainHit.writeBody(new Sink(hole));
    }

    @Benchmark
    public void writeHitGzipToGzipClient(Blackhole hole) throws IOException {
        gzipHit.writeBody(new Sink(hole));
    }

    @Benchmark
    public void writeHitInflatedToIdentityClient(Blackhole hole) throws IOException {
        inflatedHit.writeBody(new Sink(hole));
    }

    /** A client connection that takes every byte at once. */
    private static final class Sink extends OutputStream {
        private final Blackhole hole;

        Sink(Blackhole hole) {
            this.hole = hole;
        }

        @Override
        public void write(int b) {
            hole.consume(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            hole.consume(bytes);
            hole.consume(length);
        }
    }
}
