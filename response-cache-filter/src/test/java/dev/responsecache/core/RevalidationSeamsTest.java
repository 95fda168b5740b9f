package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Header-driven revalidation combined with a near tier and URL eviction. */
class RevalidationSeamsTest {

    private final MutableClock clock = new MutableClock();
    private final CachePolicy policy = new CachePolicy(Duration.ofHours(1), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false).fromHeaders();
    private static final List<Header> OK = List.of(new Header("Cache-Control", "max-age=10"),
            new Header("ETag", "\"a\""));

    private ResponseStore ehcache() {
        return new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock));
    }

    private ResponseCache cache(ResponseStore store) {
        return new ResponseCache(new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES),
                "X-Cache", Duration.ofSeconds(30), clock), store);
    }

    @Test
    void revalidatedEntryIsAHitBehindANearTier() {
        ResponseCache cache = cache(new TwoLevelStore(ehcache(), ehcache()));
        FakeRequest request = FakeRequest.get("/p", null);
        Lookup miss = cache.lookup(policy, request, List.of());
        cache.store(miss, 200, OK, new byte[] {1});
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, request, List.of()).outcome());
        clock.advance(Duration.ofSeconds(11));
        Lookup stale = cache.lookup(policy, request, List.of());
        assertEquals(Lookup.Outcome.MISS, stale.outcome());
        assertFalse(stale.conditionalHeaders().isEmpty());
        Lookup answered = cache.revalidated(stale, OK);
        cache.release(stale);
        assertEquals(Lookup.Outcome.HIT, answered.outcome());
        // The origin said it is fresh for 10 s more: the next request should be a hit.
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, request, List.of()).outcome(), "the near tier kept the stale copy");
    }

    @Test
    void refusedRevalidationEvictsOnlyItsUrl() {
        ResponseCache cache = cache(ehcache());
        FakeRequest one = FakeRequest.get("/p", "id=1");
        FakeRequest two = FakeRequest.get("/p", "id=2");
        Lookup m1 = cache.lookup(policy, one, List.of());
        cache.store(m1, 200, OK, new byte[] {1});
        clock.advance(Duration.ofSeconds(5));
        Lookup m2 = cache.lookup(policy, two, List.of());
        cache.store(m2, 200, OK, new byte[] {2});
        clock.advance(Duration.ofSeconds(6));
        Lookup stale = cache.lookup(policy, one, List.of());
        cache.revalidated(stale, List.of(new Header("Cache-Control", "no-store"), new Header("ETag", "\"a\"")));
        cache.release(stale);
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, two, List.of()).outcome(), "another query string of the path was evicted");
    }
}
