package dev.responsecache.benchmarks;

import dev.responsecache.jaxrs.ResponseCacheFeature;

import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A whole JAX-RS request inside Jersey, without a network or servlet container: the trivial uncached resource
 * against a cache hit on Ehcache. The difference is the cache's share of a hit as Jersey runs it (filters, the
 * replayed response, its headers and entity), measured far more steadily than a load test on a shared machine can.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JerseyHitBenchmark {

    private static final URI TRIVIAL = URI.create("http://localhost/trivial");
    private static final URI CACHED = URI.create("http://localhost/cached");

    private ApplicationHandler handler;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException, ExecutionException {
        Logging.quiet();
        handler = new ApplicationHandler(new ResourceConfig()
                .register(new BenchResource(new Runs(), ""))
                .register(ResponseCacheFeature.class));
        if (get(CACHED) != 200 || get(CACHED) != 200) {
            throw new IllegalStateException("the cached resource does not answer 200");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        handler.onShutdown(null);
    }

    @Benchmark
    public int trivialUncached() throws InterruptedException, ExecutionException {
        return get(TRIVIAL);
    }

    @Benchmark
    public int cacheHit() throws InterruptedException, ExecutionException {
        return get(CACHED);
    }

    /** The uncached resource with a query, as {@link #cacheMiss} sends: the reference of the miss path's overhead. */
    @Benchmark
    public int trivialUncachedWithQuery() throws InterruptedException, ExecutionException {
        return get(URI.create("http://localhost/trivial?n=" + ++counter));
    }

    /** A miss on every request (a new query each time): lookup, capture and store around the method. */
    @Benchmark
    public int cacheMiss() throws InterruptedException, ExecutionException {
        return get(URI.create("http://localhost/cached?n=" + ++counter));
    }

    /** A method with a fixed small cost of its own, uncached, with a new query each time: the miss overhead's base. */
    @Benchmark
    public int workUncached() throws InterruptedException, ExecutionException {
        return get(URI.create("http://localhost/work?n=" + ++counter));
    }

    /** The same method cached, a miss on every request (a new query each time), its response stored. */
    @Benchmark
    public int workMiss() throws InterruptedException, ExecutionException {
        return get(URI.create("http://localhost/work-cached?n=" + ++counter));
    }

    private int get(URI uri) throws InterruptedException, ExecutionException {
        return InProcessJersey.get(handler, uri);
    }
}
