package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Jersey refuses with a 400 a request whose negotiation headers {@code Request.selectVariant} cannot read
 * ({@code Accept-Charset: utf-8;q=2}), whatever the variants differ in. The cache knew to send such a request to the
 * method only for routes this instance had stored a negotiated response of: an instance sharing the store, or one
 * restarted, answered the entry another had stored with its 200. Now the entry's own {@code Vary} decides.
 */
class NegotiationRefusalOfAnEntryAnotherInstanceStoredWasAnsweredFromItRedisIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final String PATH = "/api/greeting";

    private final String prefix = RedisApps.uniquePrefix();
    private final RedisResource first = new RedisResource();
    private final RedisResource second = new RedisResource();
    private final RedisResource uncachedResource = new RedisResource();
    private TestServer instanceA;
    private TestServer instanceB;
    private TestServer uncached;

    @BeforeEach
    void startInstances() {
        instanceA = RedisApps.start(first, redis.uri(), prefix);
        instanceB = RedisApps.start(second, redis.uri(), prefix);
        uncached = TestServer.jersey(RedisApps.app(uncachedResource, redis.uri(), prefix)
                .property(ResponseCacheProperties.ENABLED, "false")).start();
    }

    @AfterEach
    void stopInstances() {
        instanceA.close();
        instanceB.close();
        uncached.close();
    }

    @Test
    void requestTheRuntimeRefusesGetsItsRefusalOnAnInstanceThatStoredNothing() {
        HttpResponse<String> stored = instanceA.getText(PATH, "Accept-Language", "de");
        assertEquals("MISS", cache(stored));
        assertEquals("hallo 1", stored.body());

        String[] unreadable = {"Accept-Language", "de", "Accept-Charset", "utf-8;q=2"};
        HttpResponse<String> own = uncached.getText(PATH, unreadable);
        assertEquals(400, own.statusCode(), "what Jersey answers without the cache");
        HttpResponse<String> answered = instanceB.getText(PATH, unreadable);
        assertEquals(own.statusCode(), answered.statusCode(), "X-Cache: " + cache(answered));
        assertNotEquals("HIT", cache(answered));
        // Jetty's error page names the URI, port included.
        assertEquals(own.body().replace(":" + uncached.port() + "/", ":port/"),
                answered.body().replace(":" + instanceB.port() + "/", ":port/"));

        HttpResponse<String> readable = instanceB.getText(PATH, "Accept-Language", "de");
        assertEquals("HIT", cache(readable));
        assertEquals("hallo 1", readable.body());
        assertEquals(0, second.calls.get());
        assertEquals(1, first.calls.get());
    }

    private static String cache(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }
}
