package dev.responsecache.ehcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.spi.TierSize;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;

import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.MemoryUnit;
import org.junit.jupiter.api.Test;

/** The Ehcache store on its own: bounds, per-entry expiry on the injected clock, the off-heap byte form. */
class EhcacheStoreTest {

    private final MutableClock clock = new MutableClock();

    private ResponseStore store(Map<String, String> properties) {
        return new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(properties::get), clock));
    }

    /** Entries are built the way the cache builds them: through the codec's public form. */
    private CacheEntry entry(String key, int bodySize, long ttlMillis) {
        return TestEntries.entry(key, bodySize, clock.millis(), clock.millis() + ttlMillis);
    }

    private CacheEntry withHeaders(String key, String contentType, String etag) {
        return new CacheEntry(key, 200, List.of(new Header("Content-Type", contentType), new Header("ETag", etag)),
                TestEntries.body(16), clock.millis(), clock.millis() + 60_000, List.of());
    }

    @Test
    void entriesRepeatingAHeaderLineHoldOneInstanceOfIt() {
        try (ResponseStore store = store(Map.of())) {
            // Each response brings its own copy of the line, as the adapters produce them.
            store.put(withHeaders("a", new String("application/json"), "\"a\""));
            store.put(withHeaders("b", new String("application/json"), "\"b\""));
            store.put(withHeaders("c", new String("application/json"), "\"c\""), Set.of("/c"),
                    store.invalidationMark());
            CacheEntry a = store.get("a");
            CacheEntry b = store.get("b");
            CacheEntry c = store.get("c");
            assertSame(a.headers().get(0), b.headers().get(0));
            assertSame(a.headers().get(0), c.headers().get(0), "also through the tagged put");
            assertEquals(List.of(new Header("Content-Type", "application/json"), new Header("ETag", "\"c\"")),
                    c.headers());
            assertEquals("\"c\"", c.etag());
            assertEquals("c", c.key());
            assertEquals(clock.millis() + 60_000, c.expiresAtMillis());
        }
    }

    @Test
    void sharedHeaderLinesNeverGiveAnEntryAnotherEntrysValue() {
        try (ResponseStore store = store(Map.of())) {
            store.put(withHeaders("json", "application/json", "\"same\""));
            store.put(withHeaders("html", "text/html", "\"same\""));
            store.put(withHeaders("json-again", "application/json", "\"other\""));
            assertEquals(List.of(new Header("Content-Type", "text/html"), new Header("ETag", "\"same\"")),
                    store.get("html").headers());
            assertEquals(List.of(new Header("Content-Type", "application/json"), new Header("ETag", "\"other\"")),
                    store.get("json-again").headers());
            assertEquals(List.of(new Header("Content-Type", "application/json"), new Header("ETag", "\"same\"")),
                    store.get("json").headers());
        }
    }

    @Test
    void entryIsServedUntilItsOwnExpiry() {
        try (ResponseStore store = store(Map.of())) {
            store.put(entry("short", 10, 1_000));
            store.put(entry("long", 10, 60_000));
            clock.advance(Duration.ofMillis(999));
            assertNotNull(store.get("short"));
            clock.advance(Duration.ofMillis(1));
            assertNull(store.get("short"), "expired on the cache's clock");
            assertNotNull(store.get("long"));
        }
    }

    @Test
    void entryWithStaleWindowsIsKeptForTheLongerWindowPastItsExpiryAndNoLonger() {
        for (Map<String, String> tiers : List.of(Map.<String, String>of(),
                Map.of(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "1",
                        ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, "16MB"))) {
            try (ResponseStore store = store(tiers)) {
                long now = clock.millis();
                store.put(TestEntries.entry("stale", 10, now, now + 1_000, 5_000, 30_000));
                // With one heap slot, this pushes the first entry to the off-heap tier (when there is one).
                store.put(TestEntries.entry("other", 10, now, now + 60_000));
                clock.advance(Duration.ofMillis(30_999));
                CacheEntry kept = store.get("stale");
                assertNotNull(kept, "kept for ttl + max(staleWhileRevalidate, staleIfError), " + tiers);
                assertEquals(new StaleWindows(5_000, 30_000), kept.staleWindows());
                clock.advance(Duration.ofMillis(1));
                assertNull(store.get("stale"), "dropped once every window has passed, " + tiers);
            }
        }
    }

    @Test
    void heapIsBoundedByEntryCount() {
        try (ResponseStore store = store(Map.of(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "100"))) {
            for (int i = 0; i < 1_000; i++) {
                store.put(entry("k" + i, 10, 60_000));
            }
            int present = 0;
            for (int i = 0; i < 1_000; i++) {
                present += store.get("k" + i) == null ? 0 : 1;
            }
            assertTrue(present <= 100, present + " entries held, bound is 100");
            assertTrue(present > 0);
        }
    }

    @Test
    void heapIsBoundedByTheBytesItsEntriesHold() {
        try (ResponseStore store = store(Map.of(ResponseCacheProperties.EHCACHE_HEAP_SIZE, "1MB"))) {
            for (int i = 0; i < 500; i++) {
                store.put(entry("k" + i, 20_000, 60_000));
            }
            int present = 0;
            for (int i = 0; i < 500; i++) {
                present += store.get("k" + i) == null ? 0 : 1;
            }
            assertTrue(present * 20_000L <= 1 << 20, present + " entries of 20 KB held in a 1 MB heap tier");
            assertTrue(present >= 40, "the bound is used, not wasted: " + present + " entries held");
            assertNotNull(store.get("k499"), "the latest entry is kept");
        }
    }

    @Test
    void byteBoundedHeapStartsWithoutEhcacheDeprecationNotice() {
        Logger ehcache = Logger.getLogger("org.ehcache");
        Level configured = ehcache.getLevel();
        ehcache.setLevel(Level.INFO);
        try (LogCapture log = LogCapture.of("org.ehcache")) {
            try (ResponseStore store = store(Map.of(ResponseCacheProperties.EHCACHE_HEAP_SIZE, "1MB"))) {
                for (int i = 0; i < 200; i++) {
                    store.put(entry("k" + i, 20_000, 60_000));
                }
                assertNull(store.get("k0"), "still bounded by bytes: 200 entries of 20 KB do not fit in 1 MB");
                assertNotNull(store.get("k199"));
            }
            try (ResponseStore tiered = store(Map.of(ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, "16MB"))) {
                tiered.put(entry("k", 10, 60_000));
                assertNotNull(tiered.get("k"), "a heap bound in bytes under an off-heap tier is accepted by Ehcache");
            }
            assertTrue(log.messagesAtLeast(Level.INFO).stream().noneMatch(m -> m.contains("deprecated")),
                    log.messagesAtLeast(Level.INFO).toString());
            // An application's own byte-sized heap still gets Ehcache's notice: its logger is not silenced.
            ResourcePoolsBuilder.newResourcePoolsBuilder().heap(1, MemoryUnit.MB);
            assertTrue(log.messagesAtLeast(Level.INFO).stream().anyMatch(m -> m.contains("deprecated")),
                    log.messagesAtLeast(Level.INFO).toString());
        } finally {
            ehcache.setLevel(configured);
        }
    }

    @Test
    void defaultHeapBoundIsATenthOfTheMaximumHeapInBytes() {
        assertEquals(Runtime.getRuntime().maxMemory() / 10, EhcacheStoreProvider.defaultHeapBytes());
        long weight = EntryWeigher.weigh("k", entry("k", 64 * 1024, 60_000));
        assertTrue(weight > 64 * 1024 && weight < 64 * 1024 + 1024, "an entry weighs its body and a little: " + weight);
        int fits = (int) (EhcacheStoreProvider.defaultHeapBytes() / weight);
        try (ResponseStore store = store(Map.of())) {
            for (int i = 0; i < fits + 100; i++) {
                store.put(entry("k" + i, 64 * 1024, 60_000));
            }
            int present = 0;
            for (int i = 0; i < fits + 100; i++) {
                present += store.get("k" + i) == null ? 0 : 1;
            }
            assertTrue(present <= fits, present + " entries held, " + fits + " fit in the default bound");
        }
    }

    @Test
    void heapBoundInBytesAndInEntriesCannotBothBeSet() {
        ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class, () -> store(Map.of(
                ResponseCacheProperties.EHCACHE_HEAP_SIZE, "10MB", ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "10")));
        assertTrue(e.getMessage().contains(ResponseCacheProperties.EHCACHE_MAX_ENTRIES), e.getMessage());
        e = assertThrows(ResponseCacheConfigException.class, () -> store(Map.of(
                ResponseCacheProperties.EHCACHE_HEAP_SIZE, "10MB", ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, "8MB")));
        assertTrue(e.getMessage().contains(ResponseCacheProperties.EHCACHE_HEAP_SIZE + ": '10MB'"), e.getMessage());
    }

    @Test
    void offHeapTierKeepsEntriesBeyondTheHeapBoundByteForByte() throws IOException {
        try (ResponseStore store = store(Map.of(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "10",
                ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, "16MB"))) {
            for (int i = 0; i < 200; i++) {
                store.put(entry("k" + i, 2_000, 60_000));
            }
            CacheEntry first = store.get("k0");
            assertNotNull(first, "evicted from the heap, still held off-heap");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            first.writeBody(body);
            assertArrayEquals(TestEntries.body(2_000), body.toByteArray());
            assertEquals("text/plain", first.headers().get(0).value());
        }
    }

    @Test
    void offHeapTierIsBoundedByBytes() {
        try (ResponseStore store = store(Map.of(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "10",
                ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, "1MB"))) {
            for (int i = 0; i < 200; i++) {
                store.put(entry("k" + i, 20_000, 60_000));
            }
            long held = 0;
            for (int i = 0; i < 200; i++) {
                held += store.get("k" + i) == null ? 0 : 1;
            }
            assertTrue(held * 20_000 <= 1_100_000 + 10 * 20_000, held + " entries of 20 KB held in 1 MB off-heap");
        }
    }

    @Test
    void capacityTierIsTheHeapAloneAndCountsItsEvictions() {
        try (ResponseStore store = store(Map.of(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "10"))) {
            for (int i = 0; i < 10; i++) {
                store.put(entry("k" + i, 100, 60_000));
            }
            assertEquals(new TierSize("heap", 10, -1, 0), store.capacityTier(), "full, nothing evicted yet");
            store.put(entry("k10", 100, 60_000));
            assertEquals(1, store.capacityTier().evictions());
        }
    }

    /** Entries the heap tier evicts move off-heap: only the off-heap tier's evictions lose entries. */
    @Test
    void capacityTierIsTheOffHeapTierBehindTheHeap() {
        try (ResponseStore store = store(Map.of(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "10",
                ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, "16MB"))) {
            for (int i = 0; i < 50; i++) {
                store.put(entry("k" + i, 2_000, 60_000));
            }
            TierSize tier = store.capacityTier();
            assertEquals("offheap", tier.tier());
            assertEquals(0, tier.evictions(), "the heap's evictions are moves");
            assertEquals(50, tier.entries());
        }
    }

    /** The off-heap tier's own evictions are what lose entries: counted once it is full. */
    @Test
    void capacityTierCountsTheOffHeapTiersEvictions() {
        try (ResponseStore store = store(Map.of(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "10",
                ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, "1MB"))) {
            for (int i = 0; i < 2_000; i++) {
                store.put(entry("k" + i, 2_000, 60_000));
            }
            TierSize tier = store.capacityTier();
            assertEquals("offheap", tier.tier());
            assertTrue(tier.evictions() > 0, tier.toString());
        }
    }

    /** Builds entries through the public codec, as a store author would see them. */
    static final class TestEntries {
        private TestEntries() {
        }

        static byte[] body(int size) {
            byte[] body = new byte[size];
            for (int i = 0; i < size; i++) {
                body[i] = (byte) (i % 251);
            }
            return body;
        }

        static CacheEntry entry(String key, int bodySize, long storedAt, long expiresAt) {
            return entry(key, bodySize, storedAt, expiresAt, 0, 0);
        }

        static CacheEntry entry(String key, int bodySize, long storedAt, long expiresAt, long whileRevalidate,
                                long ifError) {
            return EntryCodec.decode(encoded(key, body(bodySize), storedAt, expiresAt, whileRevalidate, ifError));
        }

        static byte[] encoded(String key, byte[] body, long storedAt, long expiresAt) {
            return encoded(key, body, storedAt, expiresAt, 0, 0);
        }

        /** The documented layout, written by hand: docs/ENTRY_FORMAT.md. */
        static byte[] encoded(String key, byte[] body, long storedAt, long expiresAt, long whileRevalidate,
                              long ifError) {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            byte[] name = "Content-Type".getBytes(StandardCharsets.UTF_8);
            byte[] value = "text/plain".getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(
                    4 + 8 + 8 + 8 + 8 + 2 + 4 + keyBytes.length + 2 + 2 + name.length + 4 + value.length + 2 + 2 + 1
                            + 1 + 4 + body.length + 4);
            out.put(new byte[] {'R', 'C', 'E', EntryCodec.VERSION}).putLong(storedAt).putLong(expiresAt);
            out.putLong(whileRevalidate).putLong(ifError);
            out.putShort((short) 200).putInt(keyBytes.length).put(keyBytes);
            out.putShort((short) 1).putShort((short) name.length).put(name).putInt(value.length).put(value);
            out.putShort((short) 0).putShort((short) 0); // no vary values, no tags
            out.put((byte) 0); // ETag origin: the response's own (it has none)
            out.put((byte) 0); // content coding: identity
            out.putInt(body.length).put(body);
            CRC32 crc = new CRC32();
            crc.update(out.array(), 0, out.position());
            out.putInt((int) crc.getValue());
            return out.array();
        }
    }
}
