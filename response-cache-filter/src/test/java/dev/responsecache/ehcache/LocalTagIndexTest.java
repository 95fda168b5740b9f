package dev.responsecache.ehcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Ehcache store's tag index: exact eviction, the store/evict race, replacement, and its own bound. */
class LocalTagIndexTest {

    private final MutableClock clock = new MutableClock();
    private final EhcacheStore store = (EhcacheStore) new EhcacheStoreProvider()
            .create(new StoreContext(new PropertyValues(Map.<String, Object>of()::get), clock));

    @AfterEach
    void close() {
        store.close();
    }

    private CacheEntry entry(String key) {
        return EhcacheStoreTest.TestEntries.entry(key, 10, clock.millis(), clock.millis() + 60_000);
    }

    private void put(String key, String... tags) {
        store.put(entry(key), Set.of(tags), store.invalidationMark());
    }

    @Test
    void evictingATagRemovesExactlyTheEntriesTaggedWithIt() {
        put("a", "/p/1", "product:1", "products");
        put("b", "/p/2", "product:2", "products");
        put("c", "/other");
        assertEquals(1, store.evict(Set.of("product:1")));
        assertNull(store.get("a"));
        assertNotNull(store.get("b"));
        assertEquals(1, store.evict(Set.of("products")));
        assertNull(store.get("b"));
        assertNotNull(store.get("c"));
        assertEquals(0, store.evict(Set.of("products")), "nothing left to remove");
    }

    @Test
    void putsAfterASweepFollowingAnEvictionAreStillStored() {
        put("a", "/p/1", "product:1");
        store.evict(Set.of("product:1"));
        // Enough stores for the index to sweep itself, which forgets the eviction records.
        for (int i = 0; i < 3_000; i++) {
            put("k" + i, "/k/" + i);
        }
        long markAfterTheEviction = store.invalidationMark();
        assertTrue(store.put(entry("b"), Set.of("/p/2"), markAfterTheEviction), "a miss begun after the eviction");
        assertNotNull(store.get("b"));
    }

    @Test
    void missStartedBeforeAnEvictionOfItsTagStoresNothingAfterIt() {
        long markAtMissStart = store.invalidationMark();
        store.evict(Set.of("product:1"));
        store.put(entry("a"), Set.of("/p/1", "product:1"), markAtMissStart);
        assertNull(store.get("a"), "the response produced before the eviction must not be stored after it");
        store.put(entry("b"), Set.of("/p/2", "product:2"), markAtMissStart);
        assertNotNull(store.get("b"), "an eviction of other tags does not refuse this entry");
        store.put(entry("a"), Set.of("/p/1", "product:1"), store.invalidationMark());
        assertNotNull(store.get("a"), "a miss started after the eviction stores");
    }

    @Test
    void replacedEntryKeepsItsNewTagsAndLosesItsOldOnes() {
        put("a", "/p/1", "old");
        put("a", "/p/1", "new");
        assertEquals(0, store.evict(Set.of("old")));
        assertNotNull(store.get("a"), "a tag the replacement no longer carries does not evict it");
        assertEquals(1, store.evict(Set.of("new")));
        assertNull(store.get("a"));
    }

    @Test
    void evictAllRemovesEverythingAndRefusesMissesStartedBefore() {
        long mark = store.invalidationMark();
        put("a", "/p/1");
        put("b", "/p/2");
        assertEquals(2, store.evictAll());
        assertNull(store.get("a"));
        store.put(entry("c"), Set.of("/p/3"), mark);
        assertNull(store.get("c"));
    }

    @Test
    void indexDoesNotOutliveExpiredEntries() {
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 3_000; i++) {
                put("k" + round + "-" + i, "/p/" + round + "-" + i, "product:" + round + "-" + i);
            }
            clock.advance(Duration.ofMinutes(2));
        }
        // Each sweep drops every expired key and every tag left without one: at most the entries put since the
        // last sweep remain, never the 15,000 put in all.
        assertTrue(store.indexSize() < 3 * 6_500, "index holds " + store.indexSize());
    }

    @Test
    void indexDoesNotOutliveEntriesEvictedForRoom() {
        EhcacheStore small = (EhcacheStore) new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(
                Map.<String, Object>of("responsecache.ehcache.max-entries", "100")::get), clock));
        try {
            for (int i = 0; i < 20_000; i++) {
                small.put(entry("k" + i), Set.of("/p/" + i, "all"), small.invalidationMark());
            }
            // 100 live entries, each with its own tag: at most the keys put since the last sweep and their tags
            // remain (a sweep every 1,024 puts at least), never the 20,000 put.
            assertTrue(small.indexSize() < 3 * (1_024 + 100), "index holds " + small.indexSize());
            assertEquals(100, small.evict(Set.of("all")), "the live entries are still evicted by their tag");
        } finally {
            small.close();
        }
    }

    @Test
    void entriesUnderOnePathHoldOneInstanceOfItsTag() {
        // Each request brings its own copy of the path; every stored miss kept one until the index shared it.
        for (int i = 0; i < 3; i++) {
            store.put(entry("k" + i), Set.of(new String("/items"), "/items?" + i, "item:" + i),
                    store.invalidationMark());
        }
        String first = store.indexedTag("k0", "/items");
        assertEquals("/items", first);
        assertSame(store.indexedTag("k1", "/items"), store.indexedTag("k2", "/items"));
        assertEquals("item:2", store.indexedTag("k2", "item:2"), "a third tag is indexed too");
        assertEquals(1, store.evict(Set.of("item:1")));
        assertEquals(1, store.evict(Set.of("/items?2")));
        assertEquals(1, store.evict(Set.of(new String("/items"))), "the path still names the entry left");
        assertNull(store.get("k0"));
    }

    @Test
    void keyStoredAgainAndAgainIsIndexedOnce() {
        for (int i = 0; i < 5_000; i++) {
            put("a", "/p/1", "product:1");
        }
        assertEquals(3, store.indexSize(), "one key and its two tags");
        assertEquals(1, store.evict(Set.of("product:1")));
    }
}
