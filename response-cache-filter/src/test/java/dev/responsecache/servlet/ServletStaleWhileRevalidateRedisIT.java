package dev.responsecache.servlet;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.ServletApp;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Stale-while-revalidate in the servlet filter over a real Redis server. */
class ServletStaleWhileRevalidateRedisIT extends StaleWhileRevalidateContract {

    private static RedisTestServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisTestServer.started();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    ServletApp withStore(ServletApp app) {
        return app.contextParam(ResponseCacheProperties.STORE, "redis")
                .contextParam(ResponseCacheProperties.REDIS_URI, redis.uri())
                .contextParam(ResponseCacheProperties.REDIS_KEY_PREFIX, "rc-swr-" + UUID.randomUUID() + ":");
    }
}
