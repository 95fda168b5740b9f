package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9111 5.2.1.5: the response to a request saying {@code no-store} is never stored. In the header-driven mode
 * (without {@code honour-client-refresh}) such a request that missed was still a storing miss: the adapters captured
 * its body, it took the key's coalescing claim, so that other requests for the key waited on a response that would
 * not be stored, and on a stale-while-revalidate entry it led the refresh, whose response was then thrown away. It
 * still may be answered from what is stored (the same section permits it); what the cache cannot answer it passes
 * on as a bypass ({@code detail=no-store}).
 */
class NoStoreRequestNeitherLeadsNorCapturesTest {

    private static final Duration DEADLINE = Duration.ofMinutes(1);
    private static final CachePolicy HEADERS = new CachePolicy(Duration.ofSeconds(600), List.of(), Set.of(200), false)
            .fromHeaders();

    private final MutableClock clock = new MutableClock();
    // Coalesced requests wait far longer than the test's deadline: a request made to wait is seen waiting.
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofMinutes(10), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void aNoStoreMissTakesNoClaimSoAConcurrentRequestForTheKeyIsNotMadeToWait() throws Exception {
        Lookup noStore = cache.lookup(HEADERS, noStore());
        assertEquals(Lookup.Outcome.BYPASS, noStore.outcome());
        assertEquals("no-store", noStore.reason());
        assertFalse(noStore.mayStore(), "its body is not captured");
        assertNull(noStore.claim());

        // While the no-store request is still being answered, another request for the key leads it at once.
        CompletableFuture<Lookup> other = CompletableFuture.supplyAsync(
                () -> cache.lookup(HEADERS, FakeRequest.get("/document", null)));
        Eventually.until(other::isDone, DEADLINE, () -> "a request for the key waited on the no-store request");
        Lookup leader = other.get();
        assertEquals(Lookup.Outcome.MISS, leader.outcome());
        assertNotNull(leader.claim(), "the plain request leads the key");
        cache.store(leader, 200, List.of(new Header("Cache-Control", "max-age=60")), new byte[] {1});
        cache.release(noStore);
    }

    @Test
    void aNoStoreRequestIsStillAnsweredFromAFreshEntry() {
        store("max-age=60");
        assertEquals(Lookup.Outcome.HIT, cache.lookup(HEADERS, noStore()).outcome());
    }

    @Test
    void aNoStoreRequestAnsweredStaleLeavesTheRefreshToARequestWhoseResponseMayBeStored() {
        store("max-age=60, stale-while-revalidate=600");
        clock.advance(Duration.ofSeconds(61));

        Lookup stale = cache.lookup(HEADERS, noStore());
        assertEquals(Lookup.Outcome.HIT, stale.outcome());
        assertEquals("stale", stale.reason());
        assertNull(stale.refresh(), "a refresh led by a no-store request would not be stored");

        Lookup plain = cache.lookup(HEADERS, FakeRequest.get("/document", null));
        assertEquals(Lookup.Outcome.HIT, plain.outcome());
        assertNotNull(plain.refresh(), "the key's claim was left for a request that stores");
        cache.release(plain.refresh());
    }

    private void store(String cacheControl) {
        Lookup miss = cache.lookup(HEADERS, FakeRequest.get("/document", null));
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        cache.store(miss, 200, List.of(new Header("Cache-Control", cacheControl)), new byte[] {1});
    }

    private static FakeRequest noStore() {
        return FakeRequest.get("/document", null).withHeader("Cache-Control", "no-store");
    }
}
