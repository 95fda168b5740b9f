package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * A lookup asks the near tier alone first ({@link TwoLevelStore#nearCopy}), with the time its request started: the
 * copy answers while unexpired at that time, the one the engine judges its freshness at, and nothing else is read.
 */
class NearCopyJudgedAtTheRequestsTimeTest {

    private final MutableClock clock = new MutableClock();

    private ResponseStore ehcache() {
        return new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
    }

    @Test
    void nearCopyAnswersUntilItsExpiryAtTheRequestsTime() {
        ResponseStore near = ehcache();
        TwoLevelStore store = new TwoLevelStore(near, ehcache(), clock);
        long now = clock.millis();
        CacheEntry entry = new CacheEntry("k", 200, List.of(), new byte[] {1}, now, now + 1_000, List.of());
        store.put(entry, Set.of("/k"), store.invalidationMark());

        assertSame(near.get("k"), store.nearCopy("k", now + 999), "the near copy, unexpired at the request's time");
        assertNull(store.nearCopy("k", now + 1_000),
                "a copy expired at the request's time, the one the engine judges at, though not yet on the clock: the"
                        + " shared store decides");
    }

    @Test
    void keyOnlyTheSharedStoreHoldsIsLeftToTheReadOfTheWholeStore() {
        ResponseStore shared = ehcache();
        TwoLevelStore store = new TwoLevelStore(ehcache(), shared, clock);
        long now = clock.millis();
        shared.put(new CacheEntry("k", 200, List.of(), new byte[] {1}, now, now + 1_000, List.of()), Set.of("/k"),
                shared.invalidationMark());

        assertNull(store.nearCopy("k", now), "the near tier holds no copy yet");
        assertEquals(now + 1_000, store.lookUp("k").expiresAtMillis(), "the whole store's read finds the entry");
        assertEquals(now + 1_000, store.nearCopy("k", now).expiresAtMillis(), "and keeps a near copy of it");
    }
}
