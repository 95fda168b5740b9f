package dev.responsecache.core;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.redis.RedisStoreProvider;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.RedisTestServer;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link SeenOriginEntriesContract} on a real Redis server. */
class RedisSeenOriginEntriesIT extends SeenOriginEntriesContract {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    @Override
    ResponseStore store() {
        Map<String, Object> properties = Map.of(ResponseCacheProperties.REDIS_URI, redis.uri(),
                ResponseCacheProperties.REDIS_KEY_PREFIX, "rc-test-" + UUID.randomUUID() + ":",
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s", ResponseCacheProperties.REDIS_SLOW_CALL, "30s");
        return new RedisStoreProvider().create(new StoreContext(new PropertyValues(properties::get), clock));
    }

    @Override
    String storeName() {
        return "redis";
    }
}
