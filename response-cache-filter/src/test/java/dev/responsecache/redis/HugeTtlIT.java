package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.spi.EntryCodec;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.LongLivedApp;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A ttl that passes validation is stored, in Redis too, for at most the year it is capped to. */
class HugeTtlIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    @Test
    void hugeTtlIsStoredInRedisForAYearInsteadOfSilentlyNotAtAll() {
        String prefix = RedisApps.uniquePrefix();
        LongLivedApp app = new LongLivedApp();
        try (TestServer server = TestServer.jersey(app.config()
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, redis.uri())
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")).start()) {
            HttpResponse<String> miss = server.getText("/api/forever");
            HttpResponse<String> hit = server.getText("/api/forever");
            assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(miss.body(), hit.body());
            assertEquals(1, app.calls());
            String key = redis.keys(prefix + "v" + EntryCodec.VERSION + ":").iterator().next();
            long pttl = redis.client().pttl(key);
            assertTrue(pttl > 364L * 24 * 3600 * 1000 && pttl <= 365L * 24 * 3600 * 1000, "PTTL " + pttl);
        }
    }
}
