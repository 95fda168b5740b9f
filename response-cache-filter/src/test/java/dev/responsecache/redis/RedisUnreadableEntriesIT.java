package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.spi.EntryCodec;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whatever sits at one of the store's keys, if it is not an intact entry of this format for this request, the
 * request is a miss served normally, and the response overwrites it.
 */
class RedisUnreadableEntriesIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final RedisResource resource = new RedisResource();
    private TestServer app;

    @BeforeEach
    void startApp() {
        app = RedisApps.start(resource, redis.uri(), prefix);
    }

    @AfterEach
    void stopApp() {
        app.close();
    }

    @Test
    void garbageBytesAreAMissThenOverwritten() {
        missThenOverwritten(stored -> "not an entry at all".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void truncatedEntryIsAMissThenOverwritten() {
        missThenOverwritten(stored -> Arrays.copyOf(stored, stored.length - 7));
    }

    @Test
    void entryOfAnotherFormatVersionIsAMissThenOverwritten() {
        missThenOverwritten(stored -> {
            byte[] other = stored.clone();
            other[3] = (byte) (EntryCodec.VERSION + 1);
            return other;
        });
    }

    @Test
    void flippedBodyByteIsAMissThenOverwritten() {
        missThenOverwritten(stored -> {
            byte[] corrupt = stored.clone();
            corrupt[corrupt.length - 10] ^= 0x5A;
            return corrupt;
        });
    }

    @Test
    void valueOfAnotherRedisTypeIsAMissThenOverwritten() {
        HttpResponse<String> first = app.getText("/api/items/list");
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
        String key = onlyKey();
        redis.client().del(key);
        redis.client().rpush(key, "someone", "else's", "list");

        assertServedAsAMissAndOverwritten("/api/items/list", key);
    }

    @Test
    void entryOfAnotherRequestAtTheKeyIsAMiss() {
        app.getText("/api/items/a");
        String keyOfA = onlyKey();
        byte[] entryOfA = redis.client().get(keyOfA.getBytes(StandardCharsets.UTF_8));
        app.getText("/api/items/b");
        Set<String> keys = redis.keys(prefix + "v" + EntryCodec.VERSION + ":");
        keys.remove(keyOfA);
        String keyOfB = keys.iterator().next();
        // As if the digests of the two requests collided: b's slot holds a's entry.
        redis.client().set(keyOfB.getBytes(StandardCharsets.UTF_8), entryOfA);

        HttpResponse<String> response = app.getText("/api/items/b");
        assertEquals("MISS", response.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("item b call 3", response.body());
    }

    /** Stores an entry, replaces its bytes, and checks the next request is a miss that writes a good entry. */
    private void missThenOverwritten(UnaryOperator<byte[]> tamper) {
        HttpResponse<String> first = app.getText("/api/items/1");
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
        String key = onlyKey();
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        long ttl = redis.client().pttl(keyBytes);
        redis.client().psetex(keyBytes, ttl, tamper.apply(redis.client().get(keyBytes)));

        assertServedAsAMissAndOverwritten("/api/items/1", key);
    }

    private void assertServedAsAMissAndOverwritten(String path, String key) {
        HttpResponse<String> miss = app.getText(path);
        assertEquals(200, miss.statusCode());
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(2, resource.calls.get());
        assertTrue(miss.body().endsWith("call 2"), miss.body());

        assertEquals("string", redis.client().type(key));
        EntryCodec.decode(redis.client().get(key.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> hit = app.getText(path);
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(miss.body(), hit.body());
    }

    private String onlyKey() {
        Set<String> keys = redis.keys(prefix + "v" + EntryCodec.VERSION + ":");
        assertEquals(1, keys.size(), keys::toString);
        return keys.iterator().next();
    }
}
