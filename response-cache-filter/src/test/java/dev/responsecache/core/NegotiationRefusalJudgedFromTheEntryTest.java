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
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.Threads;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A JAX-RS request whose negotiation headers its runtime refuses (a 400 from {@code Request.selectVariant}) is not
 * answered from an entry whose {@code Vary} names one of them, whoever stored the entry: here it was stored by a
 * request that named no runtime, so nothing of this cache but the entry itself tells that its method negotiates, as
 * for an entry another instance stored in a shared store. On a real Ehcache store.
 */
class NegotiationRefusalJudgedFromTheEntryTest {

    /** The bypass's detail, as {@code Cache-Status} shows it. */
    private static final String BYPASS = "precondition";

    private final MutableClock clock = new MutableClock();
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false, new StaleWindows(30_000, 60_000), CachePolicy.UNNAMED);
    private final FakeRequest german = FakeRequest.get("/greeting", null).withHeader("Accept-Language", "de");

    private final ExecutorService threads = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        threads.shutdownNow();
        cache.close();
    }

    private void storeVaryingOn(String vary) {
        Lookup miss = cache.lookup(policy, german);
        assertNotNull(cache.store(miss, 200, List.of(new Header("Content-Type", "text/plain"),
                new Header("Vary", vary)), new byte[] {1, 2, 3}));
    }

    @Test
    void requestTheRuntimeRefusesIsSentToTheMethodAndOneItReadsIsAHit() {
        storeVaryingOn("Accept-Language");
        NegotiatingRequest unreadable = new NegotiatingRequest(german.withHeader("Accept-Charset", "utf-8;q=2"),
                NegotiationDialect.JERSEY);
        Lookup refused = cache.lookup(policy, unreadable);
        assertEquals(Lookup.Outcome.BYPASS, refused.outcome());
        assertEquals(BYPASS, refused.reason());
        assertFalse(refused.mayStore());

        assertEquals(Lookup.Outcome.HIT,
                cache.lookup(policy, new NegotiatingRequest(german, NegotiationDialect.JERSEY)).outcome());
        FakeRequest bareFraction = german.withHeader("Accept-Charset", "utf-8;q=.5");
        assertEquals(Lookup.Outcome.HIT,
                cache.lookup(policy, new NegotiatingRequest(bareFraction, NegotiationDialect.JERSEY)).outcome(),
                "Jersey reads q=.5");
        assertEquals(BYPASS,
                cache.lookup(policy, new NegotiatingRequest(bareFraction, NegotiationDialect.RESTEASY)).reason(),
                "RESTEasy refuses q=.5");
    }

    @Test
    void staleEntryDoesNotAnswerWhatTheRuntimeRefuses() {
        storeVaryingOn("Accept-Language");
        clock.advance(Duration.ofSeconds(25));
        Lookup refused = cache.lookup(policy,
                new NegotiatingRequest(german.withHeader("Accept-Charset", "utf-8;q=2"), NegotiationDialect.JERSEY));
        assertEquals(BYPASS, refused.reason());
        assertNull(refused.refresh());
        Lookup stale = cache.lookup(policy, new NegotiatingRequest(german, NegotiationDialect.JERSEY));
        assertTrue(stale.revalidating(), "a request the runtime reads is answered stale");
    }

    @Test
    void peekInFrontOfTheRuntimeLeavesWhatOnlyOneRuntimeReadsToTheLookupBehindWithItsRead() {
        storeVaryingOn("Accept-Language");
        FakeRequest bareFraction = german.withHeader("Accept-Charset", "utf-8;q=.5");
        NegotiatingRequest inFront = new NegotiatingRequest(bareFraction, null);
        Lookup peeked = cache.peek(policy, inFront);
        assertFalse(peeked.answered(), "judged as the strictest runtime reads it");
        assertNotNull(inFront.peekedRead(), "the read is kept for the lookup behind");
        NegotiatingRequest behind = new NegotiatingRequest(bareFraction, NegotiationDialect.JERSEY);
        behind.keepPeekedRead(inFront.peekedRead());
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, behind).outcome());

        assertTrue(cache.peek(policy, new NegotiatingRequest(german, null)).answered());
    }

    @Test
    void entryVaryingOnNoNegotiationHeaderAndRequestNoRuntimeNegotiatesAreNotJudged() {
        storeVaryingOn("X-Flavour");
        FakeRequest unreadable = german.withHeader("Accept-Charset", "utf-8;q=2");
        assertEquals(Lookup.Outcome.HIT,
                cache.lookup(policy, new NegotiatingRequest(unreadable, NegotiationDialect.RESTEASY)).outcome());

        Lookup miss = cache.lookup(policy, german.withRepresentation("text/plain"));
        assertNotNull(cache.store(miss, 200, List.of(new Header("Vary", "Accept-Language")), new byte[] {4}));
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, unreadable.withRepresentation("text/plain")).outcome(),
                "the servlet filter's own request: no runtime behind it negotiates");
    }

    @Test
    void waiterHandedTheLeadersEntryDoesNotAnswerWhatTheRuntimeRefuses() throws Exception {
        Lookup leader = cache.lookup(policy, new NegotiatingRequest(german, NegotiationDialect.JERSEY));
        assertEquals(Lookup.Outcome.MISS, leader.outcome());
        // Nothing stored yet to judge it by as it reads the store: it waits for the leader's entry.
        Future<Lookup> waiter = threads.submit(() -> cache.lookup(policy,
                new NegotiatingRequest(german.withHeader("Accept-Charset", "utf-8;q=2"), NegotiationDialect.JERSEY)));
        Threads.awaitWaitingIn(InFlight.class.getName(), 1);
        assertNotNull(cache.store(leader, 200, List.of(new Header("Content-Type", "text/plain"),
                new Header("Vary", "Accept-Language")), new byte[] {1, 2, 3}));
        Lookup handed = waiter.get(60, TimeUnit.SECONDS);
        assertEquals(Lookup.Outcome.BYPASS, handed.outcome());
        assertEquals(BYPASS, handed.reason());
    }
}
