package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.RedisTestServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.UnifiedJedis;

/**
 * On one server (and Sentinel's primary) a tagged store sends the entry's write and its tag scripts in one pipeline.
 * A pipeline the server takes after the store gave up on its replies (a server that hung and runs again, reading a
 * large pipeline in pieces while other clients' commands, an eviction replayed by another instance, run in between)
 * could store the entry across an eviction the store never heard of. The write is refused by the server once its
 * clock is past the window read in the store's first round trip: here the store's thread is held up until the
 * server's clock is past a window of 1 ms, and nothing is stored; the tag scripts' members name no entry.
 */
class StoreTakenPastItsWindowStoresNothingIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Set<String> TAGS = Set.of("", "/late/1");

    @Test
    void writeTheServerTakesPastItsWindowStoresNothing() {
        UnifiedJedis client = redis.client();
        String prefix = RedisApps.uniquePrefix();
        byte[] key = new RedisKeys(prefix).of("GET /late/1");
        RedisTagIndex heldUp = new RedisTagIndex(client, prefix, 1, () -> { }, () -> {
            long read = serverMillis(client);
            Eventually.until(() -> serverMillis(client) > read + 1, DEADLINE, () -> "the server's clock stands still");
        });
        assertFalse(heldUp.put(key, "old price".getBytes(StandardCharsets.UTF_8), null, TAGS, heldUp.mark(), 0,
                600_000), "a write taken past its window is not stored");
        assertFalse(client.exists(key));
        assertEquals(0, new RedisTagIndex(client, prefix).evict(Set.of("/late/1")), "its members name no entry");

        RedisTagIndex onTime = new RedisTagIndex(client, prefix, 2_000, () -> { }, () -> { });
        byte[] price = "new price".getBytes(StandardCharsets.UTF_8);
        assertTrue(onTime.put(key, price, null, TAGS, onTime.mark(), 0, 600_000));
        assertArrayEquals(price, client.get(key));
    }

    /**
     * The clock readings are whole milliseconds: a write sent within the millisecond of the first reading, whose writer
     * gave up a window later, could be taken in the millisecond the window ends in, after the writer's {@code DEL}, and
     * was stored (the script refused only a clock past the window's end). With a window of no length, the write the
     * store sends right after its first reading is taken once the window ended, mostly in that same millisecond:
     * refused.
     */
    @Test
    void writeTakenInTheMillisecondItsWindowEndsWasStored() {
        UnifiedJedis client = redis.client();
        String prefix = RedisApps.uniquePrefix();
        // Once at full length first, so that the store under test runs on paths already compiled.
        RedisTagIndex warm = new RedisTagIndex(client, prefix, 2_000, () -> { }, () -> { });
        assertTrue(warm.put(new RedisKeys(prefix).of("GET /late/warm"), "warm".getBytes(StandardCharsets.UTF_8), null,
                Set.of("", "/late/warm"), warm.mark(), 0, 600_000));
        byte[] key = new RedisKeys(prefix).of("GET /late/edge");
        RedisTagIndex noWindow = new RedisTagIndex(client, prefix, 0, () -> { }, () -> { });
        for (int i = 0; i < 20; i++) {
            assertFalse(noWindow.put(key, "old price".getBytes(StandardCharsets.UTF_8), null,
                    Set.of("", "/late/edge"), noWindow.mark(), 0, 600_000), "a write taken once its window ended");
            assertFalse(client.exists(key), "a write taken once its window ended is not stored");
        }
    }

    /** The server's clock, in epoch milliseconds. */
    private static long serverMillis(UnifiedJedis client) {
        return (Long) client.eval("local t = redis.call('TIME') return tonumber(t[1]) * 1000"
                + " + math.floor(tonumber(t[2]) / 1000)", List.of(), List.of());
    }
}
