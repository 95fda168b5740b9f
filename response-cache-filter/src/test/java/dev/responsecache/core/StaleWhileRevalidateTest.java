package dev.responsecache.core;

import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which lookups are answered stale while one refresh runs, and what they carry; on a real Ehcache store. */
class StaleWhileRevalidateTest {

    private final MutableClock clock = new MutableClock();
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false, new StaleWindows(30_000, 60_000), CachePolicy.UNNAMED);

    @AfterEach
    void close() {
        cache.close();
    }

    private void store(FakeRequest request) {
        Lookup miss = cache.lookup(policy, request);
        assertNotNull(cache.store(miss, 200, List.of(new Header("Content-Type", "text/plain")), new byte[] {1, 2, 3}));
    }

    @Test
    void firstStaleLookupCarriesTheOnlyRefreshAndEveryoneIsAnsweredAtOnce() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request);
        clock.advance(Duration.ofSeconds(25));
        Lookup first = cache.lookup(policy, request);
        assertEquals(Lookup.Outcome.HIT, first.outcome());
        assertTrue(first.revalidating());
        Lookup refresh = first.refresh();
        assertNotNull(refresh);
        assertTrue(refresh.mayStore(), "the refresh is a miss that stores");
        assertTrue(refresh.hasStaleOnError(), "within staleIfError too");
        List<Header> headers = first.replayHeaders("X-Cache");
        assertTrue(headers.contains(new Header("X-Cache", "STALE")), headers::toString);
        assertTrue(headers.contains(new Header("Age", "25")), headers::toString);
        assertTrue(headers.contains(new Header("Cache-Status", "ResponseCache; fwd=stale; ttl=-15; detail=revalidating")),
                headers::toString);

        Lookup second = cache.lookup(policy, request);
        assertTrue(second.revalidating());
        assertNull(second.refresh(), "one refresh per key at a time");

        assertNotNull(cache.store(refresh, 200, List.of(), new byte[] {4}));
        Lookup hit = cache.lookup(policy, request);
        assertFalse(hit.revalidating());
        assertEquals(1, hit.entry().bodyLength(), "the refreshed entry replaced the stale one");
    }

    @Test
    void failedRefreshReleasesTheKeyAndKeepsTheEntry() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request);
        clock.advance(Duration.ofSeconds(15));
        Lookup refresh = cache.lookup(policy, request).refresh();
        assertNull(cache.store(refresh, 503, List.of(), new byte[] {9}), "a 5xx is never stored");
        Lookup again = cache.lookup(policy, request);
        assertTrue(again.revalidating());
        assertEquals(3, again.entry().bodyLength());
        assertNotNull(again.refresh(), "the key is free to be refreshed again");
    }

    @Test
    void headIsAnsweredStaleWithoutARefreshAndPastTheWindowIsAMiss() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request);
        clock.advance(Duration.ofSeconds(15));
        Lookup head = cache.lookup(policy, request.withMethod("HEAD"));
        assertTrue(head.revalidating());
        assertNull(head.refresh());
        clock.advance(Duration.ofSeconds(30));
        Lookup miss = cache.lookup(policy, request);
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        assertTrue(miss.hasStaleOnError(), "within staleIfError only");
    }

    @Test
    void refreshRefusedBeforeItsMethodEndsStillHoldsTheKeyUntilItEnds() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request);
        clock.advance(Duration.ofSeconds(15));
        Lookup refresh = cache.lookup(policy, request).refresh().runAfterAnswer();
        // A no-store header seen while the method still runs: a miss would release its waiters now.
        cache.release(refresh);
        assertNull(cache.lookup(policy, request).refresh(), "a second refresh would run beside the first");
        cache.endRefresh(refresh);
        assertNotNull(cache.lookup(policy, request).refresh());
    }
}
