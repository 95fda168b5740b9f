package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * A lookup reads the near tier alone first ({@code FailSafeStore.readNear}). A fault there was passed over: the
 * shared store was read past it, and a key the shared store lacked was a plain miss, with nothing logged or counted
 * (a key it held was reported only because putting the copy back failed too). A read of the whole two-level store
 * ({@code TwoLevelStore.lookUp}) reports the same fault as a bypass: the near tier's read must too, logged once per
 * episode and counted as a failed store read. The near tier here is a real Ehcache store, closed, so that every call
 * to it throws.
 */
class NearTierReadFaultWasPassedOverSilentlyTest {

    private final MutableClock clock = new MutableClock();
    private final AtomicLong ticker = new AtomicLong();

    private ResponseStore ehcache() {
        return new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
    }

    @Test
    void nearTierReadFaultIsABypassLoggedOnceAndCountedPerRead() {
        ResponseStore near = ehcache();
        near.close();
        ResponseStore shared = ehcache();
        List<Throwable> failedReads = new CopyOnWriteArrayList<>();
        CacheEvents events = new CacheEvents() {
            @Override
            public boolean timesStoreCalls() {
                return true;
            }

            @Override
            public void storeCall(StoreOperation operation, long nanos, Throwable fault) {
                if (operation == StoreOperation.GET && fault != null) {
                    failedReads.add(fault);
                }
            }
        };
        CacheSettings settings = new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES),
                "X-Cache", Duration.ofSeconds(5), clock);
        CachePolicy policy = new CachePolicy(Duration.ofHours(1), List.of(), Set.copyOf(CacheSettings.DEFAULT_STATUSES),
                false);
        try (LogCapture log = LogCapture.of("dev.responsecache");
             ResponseCache cache = new ResponseCache(settings, new TwoLevelStore(near, shared, clock), byte[]::new,
                     ticker::get, null, events)) {
            for (int i = 0; i < 3; i++) {
                Lookup lookup = cache.lookup(policy, FakeRequest.get("/absent", null), List.of());
                assertEquals(Lookup.Outcome.BYPASS, lookup.reportedOutcome(), lookup.reason());
                assertEquals("store-unavailable", lookup.reason());
                cache.release(lookup);
                ticker.addAndGet(Duration.ofSeconds(1).toNanos());
            }
            // A key the shared store holds is no different: the near tier failed, not the key.
            long now = clock.millis();
            String key = CacheKeys.of(FakeRequest.get("/held", null), policy);
            shared.put(new CacheEntry(key, 200, List.of(), new byte[] {1}, now, now + 60_000, List.of()),
                    Set.of("/held"), shared.invalidationMark());
            Lookup held = cache.lookup(policy, FakeRequest.get("/held", null), List.of());
            assertEquals(Lookup.Outcome.BYPASS, held.reportedOutcome(), held.reason());
            cache.release(held);

            assertEquals(4, failedReads.size(), "each failed read counted: " + failedReads);
            List<String> warnings = log.messagesAtLeast(Level.WARNING);
            assertEquals(1, warnings.size(), "one warning for the episode: " + warnings);
        }
    }
}
