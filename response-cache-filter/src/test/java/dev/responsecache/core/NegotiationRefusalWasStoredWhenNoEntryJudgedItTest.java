package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request whose negotiation headers its runtime refuses is judged by the entry read for it; with none to read (none
 * stored yet, or evicted) it went to the method as a miss that may store, and its runtime's 400, which carries no
 * {@code Vary}, was stored where a policy keeps a 400 (its statuses, or explicit freshness in the header-driven mode):
 * it then answered every request of the URL, those the method answers with a 200 too. On a real Ehcache store.
 */
class NegotiationRefusalWasStoredWhenNoEntryJudgedItTest {

    private final MutableClock clock = new MutableClock();
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));
    private final FakeRequest german = FakeRequest.get("/greeting", null).withHeader("Accept-Language", "de");
    private final List<Header> refusal = List.of(new Header("Content-Type", "text/plain"),
            new Header("Cache-Control", "max-age=60"));

    @AfterEach
    void close() {
        cache.close();
    }

    private static CachePolicy keepingFourHundreds(boolean headerDriven) {
        return new CachePolicy(Duration.ofSeconds(60), List.of(), Set.of(200, 400), false, StaleWindows.NONE,
                CachePolicy.UNNAMED, headerDriven);
    }

    @ParameterizedTest(name = "header-driven: {0}")
    @ValueSource(booleans = {false, true})
    void runtimesRefusalIsNotStoredAfterTheEntryThatWouldJudgeItWasEvicted(boolean headerDriven) {
        CachePolicy policy = keepingFourHundreds(headerDriven);
        NegotiatingRequest readable = new NegotiatingRequest(german, NegotiationDialect.JERSEY);
        assertNotNull(cache.store(cache.lookup(policy, readable), 200, List.of(new Header("Content-Type",
                "text/plain"), new Header("Cache-Control", "max-age=60"), new Header("Vary", "Accept-Language")),
                new byte[] {1}));
        cache.invalidator().evictPath("/greeting");

        Lookup refused = cache.lookup(policy,
                new NegotiatingRequest(german.withHeader("Accept-Charset", "utf-8;q=2"), NegotiationDialect.JERSEY));
        String notStored = cache.notStoredReason(refused, 400, refusal);
        CacheEntry stored = cache.store(refused, 400, refusal, new byte[] {4, 0, 0});

        assertEquals(Lookup.Outcome.MISS, cache.lookup(policy, readable).outcome(),
                "the runtime's 400 does not answer a request the method answers");
        assertNull(stored);
        assertEquals("status", notStored, "nor is its body captured");
    }

    @ParameterizedTest(name = "header-driven: {0}")
    @ValueSource(booleans = {false, true})
    void methodsOwnSuccessToARequestTheRuntimeWouldRefuseIsStored(boolean headerDriven) {
        CachePolicy policy = keepingFourHundreds(headerDriven);
        // Java 8 and 11's HttpURLConnection, which RESTEasy's selectVariant refuses; a method that does not negotiate
        // answers it as any other.
        FakeRequest javaClient = FakeRequest.get("/page", null)
                .withHeader("Accept", "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2");
        Lookup miss = cache.lookup(policy, new NegotiatingRequest(javaClient, NegotiationDialect.RESTEASY));
        assertNull(cache.notStoredReason(miss, 200, refusal));
        assertNotNull(cache.store(miss, 200, refusal, new byte[] {1}));
        assertEquals(Lookup.Outcome.HIT,
                cache.lookup(policy, new NegotiatingRequest(javaClient, NegotiationDialect.RESTEASY)).outcome());
    }
}
