package dev.responsecache.redis;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.Ticker;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

/**
 * {@code responsecache.store=redis}: one cache shared by every instance of the application, in the Redis named by
 * {@code responsecache.redis.uri}. Needs {@code redis.clients:jedis} on the class path. A bad setting fails the
 * start-up; an unreachable Redis does not (requests are served uncached until it answers).
 */
public final class RedisStoreProvider implements ResponseStoreProvider {

    /** Loaded by name so that this class, which the service loader always instantiates, needs no Jedis. */
    private static final String JEDIS_CLASS = "redis.clients.jedis.UnifiedJedis";

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public ResponseStore create(StoreContext context) {
        requireJedis();
        RedisSettings settings = RedisSettings.from(context.properties());
        RedisStore store;
        try {
            store = RedisConnections.open(settings, context.clock(), Ticker.from(context.properties()));
        } catch (LinkageError e) {
            // Jedis present but one of its own dependencies (commons-pool2) missing or of the wrong version.
            throw missingJedis(e);
        }
        // Whether Redis answers is said once the cache's start-up line is out (ResponseStore#started).
        return store;
    }

    /** Needs no Jedis: the settings are checked whatever store is in use. */
    @Override
    public void checkSettings(PropertyValues properties) {
        RedisSettings.check(properties);
    }

    private static void requireJedis() {
        try {
            Class.forName(JEDIS_CLASS, false, RedisStoreProvider.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw missingJedis(e);
        }
    }

    private static ResponseCacheConfigException missingJedis(Throwable cause) {
        return new ResponseCacheConfigException(ResponseCacheProperties.STORE + "=redis needs the Jedis client, which"
                + " is not on the class path (or is incomplete): add the dependency redis.clients:jedis", cause);
    }
}
