package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import redis.clients.jedis.Protocol;

/**
 * One tag over 10,000 entries, through the store SPI: the eviction removes exactly them, one {@code DEL} per entry, in
 * pipelines of {@link RedisTagIndex#DELETE_CHUNK} members each, read that many at a time. Prints the time it took and what tagging adds to a store, for
 * docs/PERFORMANCE.md (figures, not assertions).
 */
class RedisTagEvictionIT {

    private static final int ENTRIES = 10_000;
    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final MutableClock clock = new MutableClock();

    private ResponseStore store(String prefix) {
        return store(prefix, clock);
    }

    private ResponseStore store(String prefix, MutableClock clock) {
        Map<String, Object> properties = Map.of(ResponseCacheProperties.REDIS_URI, redis.uri(),
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix,
                // Twenty thousand entries stored one by one: on a loaded machine a reply can pause longer than the
                // default 200 ms read timeout, failing a put this test expects to succeed.
                ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s", ResponseCacheProperties.REDIS_SLOW_CALL, "30s");
        return new RedisStoreProvider().create(new StoreContext(new PropertyValues(properties::get), clock));
    }

    @Test
    void evictingOneTagOfTenThousandEntriesRemovesExactlyThemInPipelinesOfBoundedSize() {
        String prefix = RedisApps.uniquePrefix();
        try (ResponseStore store = store(prefix)) {
            for (int i = 0; i < ENTRIES; i++) {
                store.put(entry("plain" + i));
            }
            for (int i = 0; i < ENTRIES; i++) {
                store.put(entry("k" + i), Set.of("/p/" + i, "big"), store.invalidationMark());
            }
            store.put(entry("other"), Set.of("/other", "small"), store.invalidationMark());

            redis.client().sendCommand(Protocol.Command.CONFIG, "RESETSTAT");
            assertEquals(ENTRIES, store.evict(Set.of("big")));
            Map<String, Long> commands = commands();

            assertNull(store.get("k0"));
            assertNull(store.get("k" + (ENTRIES - 1)));
            assertNotNull(store.get("other"), "an entry without the tag stays");
            assertNotNull(store.get("plain0"));
            assertEquals(Long.valueOf(ENTRIES), commands.get("del"), "one DEL per entry");
            assertEquals(Long.valueOf(ENTRIES / RedisTagIndex.DELETE_CHUNK), commands.get("zrem"),
                    "one ZREM of the members read per chunk of DELs, not a DEL of the set, nor one pipeline whose"
                    + " replies take as long as the tag is large");
            assertEquals(Long.valueOf(1), commands.get("rename"), "the tag's set taken out whole, in constant time");
            assertEquals(Long.valueOf(ENTRIES / RedisTagIndex.DELETE_CHUNK + 1), commands.get("zrange"),
                    "the members read 1,000 at a time (the first by the eviction's script, then until one read finds"
                    + " none), never in one reply as large as the tag");
        }
    }

    @Test
    void writerWhoseClockRunsAheadKeepsTheOtherEntriesOfATagFindable() {
        String prefix = RedisApps.uniquePrefix();
        MutableClock ahead = new MutableClock(clock.instant().plus(Duration.ofHours(2)));
        try (ResponseStore onTime = store(prefix); ResponseStore early = store(prefix, ahead)) {
            onTime.put(entry("on-time", clock), Set.of("/on-time", "shared"), onTime.invalidationMark());
            // A trim on this writer's clock, two hours ahead, would drop the first entry (10 minutes left) from the set.
            early.put(entry("early", ahead), Set.of("/early", "shared"), early.invalidationMark());
            assertEquals(2, onTime.evict(Set.of("shared")));
            assertNull(onTime.get("on-time"));
        }
    }

    private static Map<String, Long> commands() {
        Map<String, Long> calls = new TreeMap<>();
        Matcher line = Pattern.compile("cmdstat_(\\w+):calls=(\\d+)").matcher(redis.client().info("commandstats"));
        while (line.find()) {
            if (!Set.of("info", "config", "ping", "hello", "client").contains(line.group(1))) {
                calls.put(line.group(1), Long.parseLong(line.group(2)));
            }
        }
        return calls;
    }

    /** A small entry in the documented layout (docs/ENTRY_FORMAT.md), as the Ehcache tests build them. */
    private CacheEntry entry(String key) {
        return entry(key, clock);
    }

    static CacheEntry entry(String key, MutableClock clock) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] body = "body".getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(4 + 8 + 8 + 8 + 8 + 2 + 4 + keyBytes.length + 2 + 2 + 2 + 1 + 1 + 4
                + body.length + 4);
        out.put(new byte[] {'R', 'C', 'E', EntryCodec.VERSION}).putLong(clock.millis())
                .putLong(clock.millis() + 600_000);
        out.putLong(0).putLong(0); // no stale windows
        out.putShort((short) 200).putInt(keyBytes.length).put(keyBytes);
        out.putShort((short) 0).putShort((short) 0).putShort((short) 0); // no headers, vary values, tags
        out.put((byte) 0); // no derived ETag
        out.put((byte) 0); // identity body
        out.putInt(body.length).put(body);
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return EntryCodec.decode(out.array());
    }
}
