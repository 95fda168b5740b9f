package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.Threads;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hit/miss/stale decision as a pure function of request, stored entry and time. */
class ResponseCacheTest {

    private final MutableClock clock = new MutableClock();
    private final ResponseStore store = new EhcacheStoreProvider()
            .create(new StoreContext(new PropertyValues(name -> null), clock));
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            store);
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);

    private Lookup storeAndLookUp(FakeRequest stored, FakeRequest asked, List<Header> headers) {
        Lookup miss = cache.lookup(policy, stored);
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        assertNotNull(cache.store(miss, 200, headers, new byte[] {1, 2, 3}));
        return cache.lookup(policy, asked);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void freshEntryIsAHitUntilTheTtlIsOver() {
        FakeRequest request = FakeRequest.get("/p", null);
        assertEquals(Lookup.Outcome.HIT, storeAndLookUp(request, request, List.of()).outcome());
        clock.advance(Duration.ofMillis(9_999));
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, request).outcome());
        clock.advance(Duration.ofMillis(1));
        assertEquals(Lookup.Outcome.MISS, cache.lookup(policy, request).outcome());
    }

    @Test
    void headIsAnsweredButNeverStores() {
        FakeRequest head = FakeRequest.get("/p", null).withMethod("HEAD");
        Lookup miss = cache.lookup(policy, head);
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        assertNull(cache.store(miss, 200, List.of(), new byte[0]));
        Lookup hit = storeAndLookUp(FakeRequest.get("/p", null), head, List.of());
        assertEquals(Lookup.Outcome.HIT, hit.outcome());
        assertEquals(false, hit.answerHasBody());
    }

    @Test
    void responseVaryMismatchIsAMiss() {
        FakeRequest french = FakeRequest.get("/p", null).withHeader("Accept-Language", "fr");
        FakeRequest german = FakeRequest.get("/p", null).withHeader("Accept-Language", "de");
        List<Header> vary = List.of(new Header("Vary", "Accept-Language"));
        assertEquals(Lookup.Outcome.MISS, storeAndLookUp(french, german, vary).outcome());
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, french).outcome());
    }

    @Test
    void entryUnderAnotherKeyIsAMiss() {
        FakeRequest request = FakeRequest.get("/p", null);
        storeAndLookUp(request, request, List.of());
        CacheEntry stored = store.get(CacheKeys.of(request, policy));
        // What a digest collision or a foreign value looks like: another request's entry in this key's slot.
        FakeRequest other = FakeRequest.get("/other", null);
        assertEquals("uri-miss", FreshnessRules.missReason(stored, CacheKeys.of(other, policy), other, clock.millis()));
        assertNull(FreshnessRules.missReason(stored, stored.key(), request, clock.millis()));
    }

    @Test
    void storedHeadersLeaveOutTransmissionHeadersAndGainAnEtag() {
        FakeRequest request = FakeRequest.get("/p", null);
        Lookup hit = storeAndLookUp(request, request, List.of(new Header("Date", "x"),
                new Header("Content-Length", "3"), new Header("Transfer-Encoding", "chunked"),
                new Header("Connection", "close"), new Header("X-Cache", "MISS"), new Header("X-Kept", "yes")));
        List<String> names = hit.entry().headers().stream().map(Header::name).toList();
        assertEquals(List.of("X-Kept", "ETag"), names);
    }

    @Test
    void concurrentMissesWaitForTheFirstAndGetItsEntry() throws Exception {
        FakeRequest request = FakeRequest.get("/cold", null);
        Lookup leader = cache.lookup(policy, request);
        assertEquals(Lookup.Outcome.MISS, leader.outcome());
        ExecutorService followers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Lookup>> waiting = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiting.add(followers.submit(() -> cache.lookup(policy, request)));
            }
            Threads.awaitWaitingIn(InFlight.class.getName(), 4);
            cache.store(leader, 200, List.of(), new byte[] {7});
            for (Future<Lookup> follower : waiting) {
                assertEquals(Lookup.Outcome.HIT, follower.get(60, TimeUnit.SECONDS).outcome());
            }
        } finally {
            followers.shutdownNow();
        }
    }

    @Test
    void leaderThatStoresNothingLetsTheNextRequestLead() throws Exception {
        FakeRequest request = FakeRequest.get("/uncacheable", null);
        Lookup leader = cache.lookup(policy, request);
        ExecutorService follower = Executors.newSingleThreadExecutor();
        try {
            Future<Lookup> next = follower.submit(() -> cache.lookup(policy, request));
            Threads.awaitWaitingIn(InFlight.class.getName(), 1);
            cache.release(leader);
            assertEquals(Lookup.Outcome.MISS, next.get(60, TimeUnit.SECONDS).outcome());
            Lookup third = cache.lookup(policy, request);
            assertEquals(Lookup.Outcome.MISS, third.outcome(), "leads again at once: nobody holds the key");
            assertNotNull(third.claim());
        } finally {
            follower.shutdownNow();
        }
    }

    @Test
    void credentialsBypassUnlessKeyedOrShared() {
        FakeRequest alice = FakeRequest.get("/p", null).withPrincipal("alice");
        assertEquals(Lookup.Outcome.BYPASS, cache.lookup(policy, alice).outcome());
        assertEquals(Lookup.Outcome.BYPASS,
                cache.lookup(policy, FakeRequest.get("/p", null).withHeader("Authorization", "x")).outcome());
        CachePolicy shared = new CachePolicy(Duration.ofSeconds(10), List.of(), Set.of(200), true);
        assertEquals(Lookup.Outcome.MISS, cache.lookup(shared, alice).outcome());
    }
    @Test
    void ifNoneMatchStarOnAStored404IsAnsweredWithThe404NotANotModified() {
        FakeRequest request = FakeRequest.get("/gone", null);
        Lookup miss = cache.lookup(policy, request);
        assertNotNull(cache.store(miss, 404, List.of(), new byte[] {1}));
        Lookup lookup = cache.lookup(policy, request.withHeader("If-None-Match", "*"));
        assertEquals(Lookup.Outcome.HIT, lookup.outcome());
        assertEquals(404, lookup.status());
        assertEquals(Lookup.Outcome.BYPASS,
                cache.lookup(policy, request.withHeader("If-None-Match", "\"x\", *")).outcome(),
                "a list that is not one of entity tags is left to the application");
        assertNull(cache.lookup(policy, request).entry().etag(), "a 404 gets no tag its miss did not have");
    }

    @Test
    void ifNoneMatchStarOnAStored200IsNotModified() {
        FakeRequest request = FakeRequest.get("/p", null);
        Lookup lookup = storeAndLookUp(request, request.withHeader("If-None-Match", "*"), List.of());
        assertEquals(Lookup.Outcome.NOT_MODIFIED, lookup.outcome());
    }

    @Test
    void hugeTtlIsCappedToAYearAndTheResponseIsStored() {
        CachePolicy forever = CachePolicy.of("method m()", Long.MAX_VALUE, new String[0], new int[0], false,
                cache.settings());
        assertEquals(CachePolicy.MAX_TTL, forever.ttl());
        FakeRequest request = FakeRequest.get("/forever", null);
        Lookup miss = cache.lookup(forever, request);
        assertNotNull(cache.store(miss, 200, List.of(), new byte[] {1}));
        clock.advance(CachePolicy.MAX_TTL.minusSeconds(1));
        assertEquals(Lookup.Outcome.HIT, cache.lookup(forever, request).outcome());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Lookup.Outcome.MISS, cache.lookup(forever, request).outcome());
    }

    @Test
    void notStoredReasonNamesTheRuleOrADeclaredLengthOverTheMaximum() {
        Lookup miss = cache.lookup(policy, FakeRequest.get("/why", null));
        assertNull(cache.notStoredReason(miss, 200, List.of(new Header("Content-Length", "1024"))));
        assertEquals("too-large", cache.notStoredReason(miss, 200, List.of(new Header("Content-Length", "1025"))));
        assertEquals("set-cookie", cache.notStoredReason(miss, 200, List.of(new Header("Set-Cookie", "a=b"))));
        assertEquals("status", cache.notStoredReason(miss, 500, List.of()));
        assertEquals("no-store", cache.notStoredReason(miss, 200, List.of(new Header("Cache-Control", "no-store"))));
        assertEquals("ResponseCache; fwd=uri-miss; detail=set-cookie",
                miss.forwardHeaders("X-Cache", "set-cookie").get(1).value());
        cache.release(miss);
        Lookup bypass = cache.lookup(policy, FakeRequest.get("/why", null).withHeader("Authorization", "Basic x"));
        assertNull(cache.notStoredReason(bypass, 200, List.of(new Header("Set-Cookie", "a=b"))));
        assertEquals("ResponseCache; fwd=bypass; detail=credentials",
                bypass.forwardHeaders("X-Cache", "set-cookie").get(1).value());
    }

    /**
     * The status lines of a response not answered from the cache are built once for a run of alike misses: each
     * lookup in turn still gets its own status header, its own detail, the reason it is not stored and the members
     * of caches nearer the origin, whichever lines the lookup before it got.
     */
    @Test
    void forwardLinesOfOneMissAreNeverThoseOfTheMissBeforeIt() {
        Lookup miss = cache.lookup(policy, FakeRequest.get("/alike", null));
        Lookup bypass = cache.lookup(policy, FakeRequest.get("/alike", null).withHeader("Authorization", "Basic x"));
        for (int round = 0; round < 2; round++) {
            Header member = new Header("Cache-Status", "ResponseCache; fwd=uri-miss");
            assertEquals(List.of(new Header("X-Cache", "MISS"), member), miss.forwardHeaders("X-Cache"));
            assertEquals(List.of(new Header("X-Cache", "MISS"), member), miss.forwardHeaders("X-Cache"),
                    "the same lines again");
            assertEquals(List.of(new Header("X-Status", "MISS"), member), miss.forwardHeaders("X-Status"),
                    "another status header");
            assertEquals("ResponseCache; fwd=uri-miss; detail=set-cookie",
                    miss.forwardHeaders("X-Cache", "set-cookie").get(1).value());
            assertEquals("ResponseCache; fwd=uri-miss; detail=too-large",
                    miss.forwardHeaders("X-Cache", "too-large").get(1).value());
            assertEquals("Origin; hit, ResponseCache; fwd=uri-miss",
                    miss.forwardHeaders("X-Cache", null, List.of("Origin; hit")).get(1).value());
            assertEquals("ResponseCache; fwd=uri-miss", miss.forwardHeaders("X-Cache").get(1).value(),
                    "not the upstream member of the lines before");
            assertEquals("ResponseCache; fwd=bypass; detail=credentials",
                    bypass.forwardHeaders("X-Cache", "set-cookie").get(1).value(), "a bypass keeps its own detail");
            assertEquals("ResponseCache; fwd=bypass; detail=credentials",
                    bypass.forwardHeaders("X-Cache").get(1).value());
        }
        cache.release(miss);
    }

    @Test
    void missOvertakenByAnEvictionOfItsPathHandsNothingToTheRequestsWaitingForIt() {
        FakeRequest request = FakeRequest.get("/evicted", null);
        Lookup miss = cache.lookup(policy, request, List.of());
        cache.invalidator().evictPath("/evicted");
        // Null: not stored, and so not handed to requests coalesced behind this one, which run the method instead.
        assertNull(cache.store(miss, 200, List.of(), new byte[] {1}));
        assertEquals(Lookup.Outcome.MISS, cache.lookup(policy, request).outcome());
    }
}
