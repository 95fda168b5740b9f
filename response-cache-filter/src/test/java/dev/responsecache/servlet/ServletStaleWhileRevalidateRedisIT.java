package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.ServletApp;

import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;

/** Stale-while-revalidate in the servlet filter over a real Redis server. */
class ServletStaleWhileRevalidateRedisIT extends StaleWhileRevalidateContract {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    @Override
    ServletApp withStore(ServletApp app) {
        return app.contextParam(ResponseCacheProperties.STORE, "redis")
                .contextParam(ResponseCacheProperties.REDIS_URI, redis.uri())
                .contextParam(ResponseCacheProperties.REDIS_KEY_PREFIX, "rc-swr-" + UUID.randomUUID() + ":")
                .contextParam(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
    }
}
