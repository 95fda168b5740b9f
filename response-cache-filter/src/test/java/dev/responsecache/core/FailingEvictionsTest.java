package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * What {@code failingEvictions} counts: the evictions asked for that failed, as {@link CacheHealth} documents, not
 * the background attempts to replay them (one a second while the store fails), which made the figure grow with the
 * outage's length rather than with what was not evicted.
 */
class FailingEvictionsTest {

    private static final Duration DEADLINE = Duration.ofMinutes(1);

    @Test
    void failingEvictionsCountsTheEvictionsThatFailedNotTheAttemptsToReplayThem() {
        EvictionsDown store = new EvictionsDown();
        FailSafeStore safe = new FailSafeStore(store, System::nanoTime);
        try {
            assertThrows(EvictionRemembered.class, () -> safe.evict(Set.of("a")));
            assertThrows(EvictionRemembered.class, () -> safe.evict(Set.of("b")));
            assertEquals(2, safe.failedEvictions());

            int asked = store.evictCalls.get();
            Eventually.until(() -> store.evictCalls.get() >= asked + 2, DEADLINE,
                    () -> "the background thread never retried twice");
            assertEquals(2, safe.failedEvictions(), "two evictions failed, however often their replay was tried");
            assertEquals(2, safe.rememberedEvictions());

            store.down.set(false);
            Eventually.until(() -> safe.rememberedEvictions() == 0, DEADLINE, () -> "never replayed");
            assertEquals(0, safe.failedEvictions(), "the replay succeeded");
        } finally {
            safe.close();
        }
    }

    /** A real Ehcache store whose evictions fail while {@link #down} is set. */
    private static final class EvictionsDown implements ResponseStore {

        private final ResponseStore real = new EhcacheStoreProvider()
                .create(new StoreContext(new PropertyValues(name -> null), new MutableClock()));
        final AtomicBoolean down = new AtomicBoolean(true);
        final AtomicInteger evictCalls = new AtomicInteger();

        @Override
        public CacheEntry get(String key) {
            return real.get(key);
        }

        @Override
        public void put(CacheEntry entry) {
            real.put(entry);
        }

        @Override
        public boolean evicts() {
            return true;
        }

        @Override
        public long evict(Set<String> tags) {
            evictCalls.incrementAndGet();
            if (down.get()) {
                throw new IllegalStateException("store unreachable");
            }
            return real.evict(tags);
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
