package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.ServletApp;

import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The claim of an asynchronous refresh that never ended, over a real Redis server: its cluster lease (10 s: past the
 * test) went with it, so the refresh that takes the key over releases the lapsed one's lease rather than find it
 * held and leave the key to it.
 */
class AsynchronousRefreshWhoseDispatchThrewHeldItsKeyForTheWholeWindowRedisIT
        extends AsynchronousRefreshWhoseDispatchThrewHeldItsKeyForTheWholeWindowContract {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    @Override
    ServletApp withStore(ServletApp app, boolean coalescing) {
        ServletApp redisApp = app.contextParam(ResponseCacheProperties.STORE, "redis")
                .contextParam(ResponseCacheProperties.REDIS_URI, redis.uri())
                .contextParam(ResponseCacheProperties.REDIS_KEY_PREFIX, "rc-lapse-" + UUID.randomUUID() + ":")
                .contextParam(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        // As long as coalesce-wait allows: it outlasts the test, so only a release frees the key.
        return coalescing ? redisApp.contextParam(ResponseCacheProperties.COALESCE_LEASE, "10s") : redisApp;
    }
}
