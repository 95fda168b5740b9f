package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.LogCapture;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which lookups may replace an error with a stale entry, and what that answer says; on a real Ehcache store. */
class StaleOnErrorTest {

    private final MutableClock clock = new MutableClock();
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false, new StaleWindows(0, 60_000), CachePolicy.UNNAMED);

    @AfterEach
    void close() {
        cache.close();
    }

    private void store(FakeRequest request, List<Header> headers) {
        Lookup miss = cache.lookup(policy, request);
        assertNotNull(cache.store(miss, 200, headers, new byte[] {1, 2, 3}));
    }

    @Test
    void staleEntryWithinTheWindowReplacesA5xxButNotA4xx() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request, List.of(new Header("Content-Type", "text/plain")));
        clock.advance(Duration.ofSeconds(25));
        Lookup miss = cache.lookup(policy, request);
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        assertTrue(miss.hasStaleOnError());
        assertNull(cache.staleOnError(miss, 404));
        Lookup answer = cache.staleOnError(miss, 502);
        assertNotNull(answer);
        assertEquals(Lookup.Outcome.HIT, answer.outcome());
        assertEquals(200, answer.status());
        assertTrue(answer.answerHasBody());
        List<Header> headers = answer.replayHeaders("X-Cache");
        assertTrue(headers.contains(new Header("Age", "25")), headers::toString);
        assertTrue(headers.contains(new Header("X-Cache", "STALE")), headers::toString);
        assertTrue(headers.contains(new Header("Cache-Status", "ResponseCache; fwd=stale; fwd-status=502; ttl=-15")),
                headers::toString);
    }

    @Test
    void outageWarningStartedByAHeadSaysHeadNotGet() {
        store(FakeRequest.get("/p", null), List.of());
        clock.advance(Duration.ofSeconds(25));
        try (LogCapture log = LogCapture.of("dev.responsecache")) {
            Lookup head = cache.lookup(policy, FakeRequest.get("/p", null).withMethod("HEAD"));
            assertNotNull(cache.staleOnError(head, 503));
            assertEquals(List.of("HEAD /p answered 503; serving the stale entry (stale-if-error) until it answers again"),
                    log.messagesAtLeast(Level.WARNING));
        }
    }

    @Test
    void freshEntryAndEntryPastTheWindowOfferNothing() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request, List.of());
        assertFalse(cache.lookup(policy, request).hasStaleOnError(), "a hit");
        clock.advance(Duration.ofSeconds(10 + 60));
        Lookup expired = cache.lookup(policy, request);
        assertFalse(expired.hasStaleOnError());
        assertNull(cache.staleOnError(expired, 503));
    }

    @Test
    void windowThatEndsWhileTheMethodRunsOffersNothing() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request, List.of());
        clock.advance(Duration.ofSeconds(69));
        Lookup miss = cache.lookup(policy, request);
        assertTrue(miss.hasStaleOnError());
        clock.advance(Duration.ofSeconds(1));
        assertNull(cache.staleOnError(miss, 503));
    }

    @Test
    void entryEvictedWhileTheMethodRanNeverReplacesItsError() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request, List.of());
        clock.advance(Duration.ofSeconds(25));
        Lookup miss = cache.lookup(policy, request);
        assertTrue(miss.hasStaleOnError());
        assertEquals(1, cache.invalidator().evictPath("/p"));
        assertNull(cache.staleOnError(miss, 503), "the eviction declared the entry stale for good");
    }

    @Test
    void entryEvictedAllWhileTheMethodRanNeverReplacesItsError() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request, List.of());
        clock.advance(Duration.ofSeconds(25));
        Lookup miss = cache.lookup(policy, request);
        cache.invalidator().evictAll();
        assertNull(cache.staleOnError(miss, 503));
    }

    @Test
    void entryOfAnotherPathEvictedWhileTheMethodRanStillReplacesItsError() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request, List.of());
        store(FakeRequest.get("/q", null), List.of());
        clock.advance(Duration.ofSeconds(25));
        Lookup miss = cache.lookup(policy, request);
        assertEquals(1, cache.invalidator().evictPath("/q"));
        assertNotNull(cache.staleOnError(miss, 503));
    }

    @Test
    void staleEntryOfAnotherVaryValueIsNeverOffered() {
        FakeRequest french = FakeRequest.get("/p", null).withHeader("Accept-Language", "fr");
        store(french, List.of(new Header("Vary", "Accept-Language")));
        clock.advance(Duration.ofSeconds(11));
        assertFalse(cache.lookup(policy, FakeRequest.get("/p", null).withHeader("Accept-Language", "de"))
                .hasStaleOnError());
        assertTrue(cache.lookup(policy, french).hasStaleOnError());
    }

    @Test
    void requestWithCredentialsThatBypassesIsNeverOfferedAnotherUsersEntry() {
        store(FakeRequest.get("/p", null), List.of());
        clock.advance(Duration.ofSeconds(11));
        Lookup bypass = cache.lookup(policy, FakeRequest.get("/p", null).withHeader("Authorization", "Basic eDp5"));
        assertEquals(Lookup.Outcome.BYPASS, bypass.outcome());
        assertFalse(bypass.hasStaleOnError());
    }

    @Test
    void matchingIfNoneMatchOnTheStaleEntryIsA304() {
        FakeRequest request = FakeRequest.get("/p", null);
        store(request, List.of(new Header("ETag", "\"v1\"")));
        clock.advance(Duration.ofSeconds(11));
        Lookup answer = cache.staleOnError(cache.lookup(policy, request.withHeader("If-None-Match", "\"v1\"")), 500);
        assertEquals(Lookup.Outcome.NOT_MODIFIED, answer.outcome());
        assertEquals(304, answer.status());
        assertFalse(answer.answerHasBody());
    }
}
