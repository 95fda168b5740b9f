package dev.responsecache.benchmarks;

import dev.responsecache.spi.PropertyValues;
import dev.responsecache.core.ResponseCache;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * A store chosen by its {@code responsecache.store} name, with whatever it needs running: for {@code redis}, a real
 * Redis process. Benchmarks take the name as a parameter, so a new store is one more parameter value;
 * {@value #REDIS_NEAR} is Redis with a near tier ({@code responsecache.near-cache.max-entries}) in front, which only
 * the whole cache ({@link #openCache()}) builds.
 */
public final class StoreUnderTest implements AutoCloseable {

    private final RedisProcess redis;
    private final Map<String, Object> properties = new HashMap<>();

    /** Redis with a near tier of 1000 entries in front. */
    public static final String REDIS_NEAR = "redis-near";

    public StoreUnderTest(String name) {
        boolean near = REDIS_NEAR.equals(name);
        properties.put("responsecache.store", near ? "redis" : name);
        properties.put("responsecache.ehcache.max-entries", "100000");
        if (near) {
            properties.put("responsecache.near-cache.max-entries", "1000");
        }
        this.redis = "redis".equals(name) || near ? RedisProcess.start() : null;
        if (redis != null) {
            properties.put("responsecache.redis.uri", redis.uri());
        }
    }

    /** The store alone, as its provider creates it. */
    public ResponseStore openStore() {
        String name = (String) properties.get("responsecache.store");
        for (ResponseStoreProvider provider : ServiceLoader.load(ResponseStoreProvider.class)) {
            if (provider.name().equals(name)) {
                return provider.create(new StoreContext(new PropertyValues(properties::get), Clock.systemUTC()));
            }
        }
        throw new IllegalArgumentException("no store provider named " + name + " on the class path");
    }

    /** The Redis URI, for a client of one's own (an admin connection); only for {@code redis}. */
    public String redisUri() {
        return redis.uri();
    }

    /** The whole cache on this store. */
    public ResponseCache openCache() {
        return Fixtures.cache((String) properties.get("responsecache.store"), properties);
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
