package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

/**
 * A read past the near tier ({@code FailSafeStore.readShared}: a header-driven lookup whose near copy is stale, a
 * re-read under a cluster lease, a refresh's check for a newer entry) keeps what the shared store answers in the near
 * tier. When that put failed, the whole read failed: a bypass ({@code detail=store-unavailable}), and a null entry to
 * the re-reads, though the shared store had answered; a store the shared store accepted was likewise reported as
 * failed. The answer stands: the near tier's fault is logged once per episode, on its own log (the store as a whole
 * is not failing), and counted as a failed put. The near tier here is a real Ehcache store, closed, so that every call
 * to it throws.
 */
class SharedAnswerLostWhenTheNearCopyCouldNotBeKeptTest {

    private final MutableClock clock = new MutableClock();
    private final AtomicLong ticker = new AtomicLong();
    private final List<Throwable> failedPuts = new CopyOnWriteArrayList<>();
    private final List<Throwable> failedReads = new CopyOnWriteArrayList<>();
    private final CacheEvents events = new CacheEvents() {
        @Override
        public boolean timesStoreCalls() {
            return true;
        }

        @Override
        public void storeCall(StoreOperation operation, long nanos, Throwable fault) {
            if (fault != null) {
                (operation == StoreOperation.PUT ? failedPuts : failedReads).add(fault);
            }
        }
    };

    private ResponseStore ehcache() {
        return new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
    }

    private CacheEntry entry(String key, byte body) {
        long now = clock.millis();
        return new CacheEntry(key, 200, List.of(), new byte[] {body}, now, now + 60_000, List.of());
    }

    @Test
    void sharedStoresAnswerIsServedAndTheNearTiersFaultLoggedOnceAndCounted() {
        ResponseStore near = ehcache();
        near.close();
        ResponseStore shared = ehcache();
        shared.put(entry("k", (byte) 1), Set.of("/k"), shared.invalidationMark());
        FailSafeStore store = new FailSafeStore(new TwoLevelStore(near, shared, clock), ticker::get, events);
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            for (int i = 0; i < 3; i++) {
                FailSafeStore.Read read = store.readShared("k");
                assertNull(read.bypass(), "the shared store answered");
                assertNotNull(read.entry(), "the shared store's entry");
                assertEquals("k", read.entry().key());
                assertNotNull(store.getShared("k"), "a re-read under a lease, or a refresh's check for a newer entry");
                ticker.addAndGet(Duration.ofSeconds(1).toNanos());
            }
            assertEquals(0, store.faults().failuresSinceSuccess(), "the store answered every read");
            assertEquals(6, failedPuts.size(), "each copy not kept counted: " + failedPuts);
            assertEquals(List.of(), failedReads, "no read failed");

            // A store the shared store accepts is stored, whatever the near tier does.
            assertEquals(FailSafeStore.PutResult.STORED, store.put(entry("k2", (byte) 2), Set.of("/k2"),
                    store.invalidationMark()));
            assertNotNull(shared.get("k2"), "stored in the shared store");
            assertEquals(7, failedPuts.size(), "the copy not kept counted: " + failedPuts);

            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.size(), "one warning for the episode: " + warnings);
        } finally {
            store.close();
        }
    }
}
