package dev.responsecache.benchmarks;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.spi.ResponseStore;

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

/** One store get of a present 1 KiB entry, through the store SPI alone. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StoreGetBenchmark {

    /** Store names: the embedded store, and Redis over loopback (a real redis-server the benchmark starts). */
    @Param({"ehcache", "redis"})
    public String store;

    private StoreUnderTest storeUnderTest;
    private ResponseStore responseStore;
    private String key;

    @Setup(Level.Trial)
    public void setUp() {
        storeUnderTest = new StoreUnderTest(store);
        CacheEntry entry;
        // The entry comes from a cache on a throw-away Ehcache; the store under test gets it through put.
        try (ResponseCache builder = Fixtures.cache("ehcache", Map.of())) {
            entry = Fixtures.store(builder, Fixtures.policy(builder), BenchRequest.get("/api/products/12345", null),
                    Fixtures.body(Fixtures.SMALL_BODY, 1));
        }
        responseStore = storeUnderTest.openStore();
        responseStore.put(entry);
        key = entry.key();
        if (responseStore.get(key) == null) {
            throw new IllegalStateException(store + " did not keep the entry");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        responseStore.close();
        storeUnderTest.close();
    }

    @Benchmark
    public CacheEntry get() {
        return responseStore.get(key);
    }
}
