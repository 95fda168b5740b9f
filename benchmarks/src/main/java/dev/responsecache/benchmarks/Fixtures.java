package dev.responsecache.benchmarks;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.core.CachePolicy;
import dev.responsecache.spi.Header;
import dev.responsecache.core.Lookup;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.core.ResponseCache;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entries, policies and caches built through the library's public API only, exactly as an adapter builds them: an
 * entry exists because a miss was looked up and its response stored.
 */
public final class Fixtures {

    /** What the load harness and the heap measurement use as "a 1 KiB response". */
    public static final int SMALL_BODY = 1024;
    public static final int LARGE_BODY = 10 * 1024;

    private Fixtures() {
    }

    /** A cache on the named store with default settings plus {@code extra} properties. */
    public static ResponseCache cache(String store, Map<String, Object> extra) {
        Map<String, Object> properties = new HashMap<>(extra);
        properties.put("responsecache.store", store);
        ResponseCache cache = ResponseCache.start(new PropertyValues(properties::get));
        if (cache == null) {
            throw new IllegalStateException("the cache is disabled by its properties: " + properties);
        }
        return cache;
    }

    /** A policy as {@code @CacheResponse(ttl = 3600, varyBy = ...)} declares it. */
    public static CachePolicy policy(ResponseCache cache, String... varyBy) {
        return CachePolicy.of("benchmark", 3600, varyBy, new int[0], false, cache.settings());
    }

    /** Stores a 200 response for {@code request}, as a miss followed by the method's response would. */
    public static CacheEntry store(ResponseCache cache, CachePolicy policy, BenchRequest request, byte[] body) {
        Lookup miss = cache.lookup(policy, request);
        if (!miss.mayStore()) {
            throw new IllegalStateException("not storable: " + miss.outcome() + " for " + request);
        }
        CacheEntry entry = cache.store(miss, 200, List.of(new Header("Content-Type", "application/json")), body);
        if (entry == null) {
            throw new IllegalStateException("the cache refused to store " + request);
        }
        return entry;
    }

    /** A body of {@code size} printable bytes; {@code seed} makes bodies (and so their ETags) differ. */
    public static byte[] body(int size, long seed) {
        byte[] prefix = ("{\"seed\":" + seed + ",\"data\":\"").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) {
            body[i] = i < prefix.length ? prefix[i] : (byte) ('a' + (i * 7 + seed) % 26);
        }
        if (size >= 2) {
            body[size - 2] = '"';
            body[size - 1] = '}';
        }
        return body;
    }
}
