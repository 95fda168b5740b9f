package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.spi.VariantKeys;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hit reuses the entry it decoded last time only while Redis answers the very same bytes ({@link DecodedEntries}):
 * whatever changed at the key (another instance's store, a raw write, a corruption, a delete) is what the next hit
 * serves, as if nothing had been remembered.
 */
class RedisDecodedEntriesIT {

    private static final String KEY = "GET /api/products/42";
    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final MutableClock clock = new MutableClock();
    private final String prefix = RedisApps.uniquePrefix();

    private ResponseStore store() {
        Map<String, Object> properties = Map.of(ResponseCacheProperties.REDIS_URI, redis.uri(),
                ResponseCacheProperties.REDIS_KEY_PREFIX, prefix, ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s",
                ResponseCacheProperties.REDIS_SLOW_CALL, "30s");
        return new RedisStoreProvider().create(new StoreContext(new PropertyValues(properties::get), clock));
    }

    private CacheEntry entry(String key, String body, String etag) {
        return new CacheEntry(key, 200, List.of(new Header("Content-Type", "text/plain"), new Header("ETag", etag)),
                body.getBytes(StandardCharsets.UTF_8), clock.millis(), clock.millis() + 600_000, List.of());
    }

    private static String body(CacheEntry entry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            entry.writeBody(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private byte[] redisKey(String key) {
        return new RedisKeys(prefix).of(key);
    }

    @Test
    void repeatedHitOnUnchangedBytesReusesTheDecodedEntry() {
        try (ResponseStore store = store()) {
            store.put(entry(KEY, "first", "\"1\""));
            CacheEntry first = store.get(KEY);
            assertNotNull(first);
            assertSame(first, store.get(KEY), "the same bytes decode to the entry decoded last time");
            assertEquals("\"1-gzip\"", Header.firstValue(first.gzipHeaders(), "ETag"));
            assertSame(first.gzipHeaders(), store.get(KEY).gzipHeaders(), "what the entry derived is kept with it");
        }
    }

    @Test
    void reusedDecodedEntryIsNeverServedAfterAnotherInstanceStoredNewBytes() {
        try (ResponseStore reader = store(); ResponseStore writer = store()) {
            reader.put(entry(KEY, "first", "\"1\""));
            assertEquals("first", body(reader.get(KEY)));
            assertEquals("first", body(reader.get(KEY)));

            writer.put(entry(KEY, "second", "\"2\""));
            CacheEntry after = reader.get(KEY);
            assertEquals("second", body(after));
            assertEquals("\"2\"", after.etag());

            // Same body, same length, other validator: still other bytes, still decoded anew.
            writer.put(entry(KEY, "second", "\"3\""));
            assertEquals("\"3\"", reader.get(KEY).etag());
        }
    }

    @Test
    void reusedDecodedEntryIsNeverServedAfterTheBytesAtTheKeyWereCorrupted() {
        try (ResponseStore store = store()) {
            store.put(entry(KEY, "intact body", "\"1\""));
            assertNotNull(store.get(KEY));
            byte[] stored = redis.client().get(redisKey(KEY));
            byte[] corrupt = stored.clone();
            corrupt[corrupt.length - 10] ^= 0x5A;
            redis.client().set(redisKey(KEY), corrupt);

            assertNull(store.get(KEY), "the checksum is checked again on bytes that changed");

            redis.client().set(redisKey(KEY), stored);
            assertEquals("intact body", body(store.get(KEY)));
        }
    }

    @Test
    void reusedDecodedEntryIsNeverServedAfterTheKeyWasDeleted() {
        try (ResponseStore store = store()) {
            store.put(entry(KEY, "body", "\"1\""));
            CacheEntry before = store.get(KEY);
            assertNotNull(before);
            redis.client().del(redisKey(KEY));

            assertNull(store.get(KEY));

            byte[] same = EntryCodec.encode(before);
            redis.client().set(redisKey(KEY), same);
            CacheEntry again = store.get(KEY);
            assertEquals("body", body(again));
            assertNotSame(before, again, "forgotten once Redis held nothing");
        }
    }

    @Test
    void keysSharingASlotEachGetTheirOwnEntry() {
        String other = keyInTheSlotOf(KEY);
        try (ResponseStore store = store()) {
            store.put(entry(KEY, "mine", "\"1\""));
            store.put(entry(other, "theirs", "\"2\""));
            for (int i = 0; i < 3; i++) {
                CacheEntry mine = store.get(KEY);
                CacheEntry theirs = store.get(other);
                assertEquals(KEY, mine.key());
                assertEquals("mine", body(mine));
                assertEquals(other, theirs.key());
                assertEquals("theirs", body(theirs));
            }
        }
    }

    @Test
    void variantsOfOneResponseAreNeverTakenForEachOther() {
        String english = VariantKeys.of(KEY, List.of(new CacheEntry.VaryValue("Accept-Language", "en")));
        String german = VariantKeys.of(KEY, List.of(new CacheEntry.VaryValue("Accept-Language", "de")));
        try (ResponseStore store = store()) {
            store.put(entry(english, "hello", "\"en\""));
            store.put(entry(german, "hallo", "\"de\""));
            for (int i = 0; i < 3; i++) {
                assertEquals("hello", body(store.get(english)));
                assertEquals("hallo", body(store.get(german)));
            }
        }
    }

    @Test
    void valuesLargerThanTheBoundAreDecodedOnEveryHit() {
        char[] large = new char[DecodedEntries.MAX_VALUE_BYTES + 1];
        Arrays.fill(large, 'x');
        try (ResponseStore store = store()) {
            store.put(entry(KEY, new String(large), "\"1\""));
            CacheEntry first = store.get(KEY);
            CacheEntry second = store.get(KEY);
            assertEquals(large.length, second.bodyLength());
            assertNotSame(first, second, "not kept: the memory held stays bounded");
        }
    }

    /** Another key that {@link DecodedEntries} keeps in the same slot as {@code key}. */
    private static String keyInTheSlotOf(String key) {
        for (int i = 0; ; i++) {
            String candidate = "GET /api/products/" + i;
            if (!candidate.equals(key) && DecodedEntries.slot(candidate) == DecodedEntries.slot(key)) {
                assertNotEquals(key, candidate);
                return candidate;
            }
        }
    }
}
