package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidationException;
import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9111 5.2.1.7: a request saying {@code only-if-cached} is answered from storage or with a 504, never forwarded.
 * While evictions were remembered (the store not read until they are replayed) and when the store's read failed, the
 * lookup was a plain bypass: the request went on to the method, which a client asking only-if-cached forbade. A
 * store that cannot answer is nothing cached, so it is a 504 there; a request without the directive still goes on
 * uncached (a store fault never becomes a 5xx).
 */
class OnlyIfCachedWhileTheStoreCannotAnswerTest {

    private static final CachePolicy HEADERS = new CachePolicy(Duration.ofSeconds(60), List.of(), Set.of(200), false)
            .fromHeaders();

    private final MutableClock clock = new MutableClock();
    private final Faulty store = new Faulty(clock);
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock), store);

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void onlyIfCachedWhileEvictionsArePendingIsAGatewayTimeoutNotForwarded() {
        storeDocument();
        store.evictionsFail.set(true);
        assertThrows(ResponseCacheInvalidationException.class, () -> cache.invalidator().evictTags("other"));

        Lookup plain = cache.lookup(HEADERS, FakeRequest.get("/document", null));
        assertEquals(Lookup.Outcome.BYPASS, plain.outcome());
        assertEquals("evictions-pending", plain.reason());

        Lookup onlyIfCached = cache.lookup(HEADERS, FakeRequest.get("/document", null)
                .withHeader("Cache-Control", "only-if-cached"));
        assertTrue(onlyIfCached.onlyIfCachedMiss(), onlyIfCached.outcome() + " " + onlyIfCached.reason());
    }

    @Test
    void onlyIfCachedWhenTheStoreReadFailsIsAGatewayTimeoutNotForwarded() {
        storeDocument();
        store.readsFail.set(true);

        FakeRequest onlyIfCached = FakeRequest.get("/document", null).withHeader("Cache-Control", "only-if-cached");
        for (int i = 0; i < 2; i++) {
            // The first read fails; the second finds the store known to be failing.
            Lookup lookup = cache.lookup(HEADERS, onlyIfCached);
            assertTrue(lookup.onlyIfCachedMiss(), i + ": " + lookup.outcome() + " " + lookup.reason());
            Lookup peeked = cache.peek(HEADERS, onlyIfCached);
            assertTrue(peeked.onlyIfCachedMiss() || !peeked.answered() && peeked.outcome() != Lookup.Outcome.MISS,
                    i + ": peek " + peeked.outcome() + " " + peeked.reason());
        }

        Lookup plain = cache.lookup(HEADERS, FakeRequest.get("/document", null));
        assertEquals(Lookup.Outcome.MISS, plain.outcome(), "a store fault is a miss, served uncached");
        cache.release(plain);
    }

    private void storeDocument() {
        Lookup miss = cache.lookup(HEADERS, FakeRequest.get("/document", null));
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        cache.store(miss, 200, List.of(new Header("Cache-Control", "max-age=60")), new byte[] {1});
        assertEquals(Lookup.Outcome.HIT, cache.lookup(HEADERS, FakeRequest.get("/document", null)
                .withHeader("Cache-Control", "only-if-cached")).outcome());
    }

    /** A real Ehcache store whose reads or evictions fail while told to. */
    private static final class Faulty implements ResponseStore {

        private final ResponseStore real;
        final AtomicBoolean readsFail = new AtomicBoolean();
        final AtomicBoolean evictionsFail = new AtomicBoolean();

        Faulty(MutableClock clock) {
            real = new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
        }

        @Override
        public CacheEntry get(String key) {
            if (readsFail.get()) {
                throw new IllegalStateException("store unreachable");
            }
            return real.get(key);
        }

        @Override
        public void put(CacheEntry entry) {
            real.put(entry);
        }

        @Override
        public boolean put(CacheEntry entry, Set<String> tags, long mark) {
            return real.put(entry, tags, mark);
        }

        @Override
        public long invalidationMark() {
            return real.invalidationMark();
        }

        @Override
        public boolean evicts() {
            return true;
        }

        @Override
        public long evict(Set<String> tags) {
            if (evictionsFail.get()) {
                throw new IllegalStateException("store unreachable");
            }
            return real.evict(tags);
        }

        @Override
        public long evictAll() {
            if (evictionsFail.get()) {
                throw new IllegalStateException("store unreachable");
            }
            return real.evictAll();
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
