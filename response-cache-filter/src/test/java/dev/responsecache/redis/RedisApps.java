package dev.responsecache.redis;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.TestServer;

import java.util.UUID;

import org.glassfish.jersey.server.ResourceConfig;

/** Applications for the Redis tests: Jersey on Jetty, cached in a given Redis under a prefix of their own. */
final class RedisApps {

    private RedisApps() {
    }

    /** A prefix no other test uses, so that tests sharing a server never see each other's entries. */
    static String uniquePrefix() {
        return "rc-test-" + UUID.randomUUID() + ":";
    }

    /**
     * The application's configuration, cached in the Redis at {@code uri} with a short cool-down and a patient read
     * timeout (a test of timeouts sets its own): a loaded machine's late reply must not turn an expected hit into a
     * miss.
     */
    static ResourceConfig app(RedisResource resource, String uri, String prefix) {
        return new ResourceConfig()
                .register(resource)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, uri)
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                // Short, so that recovery tests see Redis used again within a fraction of a second.
                .property(ResponseCacheProperties.REDIS_COOL_DOWN, "200ms")
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
    }

    static TestServer start(RedisResource resource, String uri, String prefix) {
        return TestServer.jersey(app(resource, uri, prefix)).start();
    }
}
