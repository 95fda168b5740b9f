package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9111 4.3.2: {@code If-Match} and {@code If-Unmodified-Since} are not applicable to a cache. A request carrying
 * one (or WebDAV's {@code If}) was answered from the entry as if it were absent, where the application answers 412.
 */
class OriginPreconditionsTest {

    private final MutableClock clock = new MutableClock();
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));

    @AfterEach
    void close() {
        cache.close();
    }

    @ParameterizedTest(name = "{0}: {1} is left to the application: {2}")
    @CsvSource(delimiter = '|', value = {
        "If-Match            | \"v1\"                        | true",
        "If-Match            | *                             | true",
        "If-Match            | ''                            | true",
        "if-unmodified-since | Thu, 26 Nov 2026 16:00:00 GMT | true",
        "If                  | (<urn:uuid:1>)                | true",
        "If-None-Match       | \"v1\"                        | false",
        "If-None-Match       | *                             | false",
        "If-None-Match       | 'W/\"v1\" , \"a,b\",'            | false",
        "If-None-Match       | v1                            | true",
        "If-None-Match       | \"v1                           | true",
        "If-None-Match       | w/\"v1\"                      | true",
        "If-None-Match       | \"v1\" \"v2\"                   | true",
        "If-None-Match       | '*, \"v1\"'                    | true",
        "If-None-Match       | ''                            | true",
        "If-Modified-Since   | Thu, 26 Nov 2026 16:00:00 GMT | false",
        "If-Modified-Since   | Thursday, 26-Nov-26 16:00:00 GMT | false",
        "If-Modified-Since   | Thu Nov 26 16:00:00 2026      | false",
        "If-Modified-Since   | Fri, 6 Nov 2026 16:00:00 GMT  | false",
        "If-Modified-Since   | 26 Nov 2026 16:00:00 GMT      | true",
        "If-Modified-Since   | Thu, 26 Nov 2026 16:00 GMT    | true",
        "If-Modified-Since   | Wed, 26 Nov 2026 16:00:00 GMT | true",
        "If-Modified-Since   | Thu, 26 Nov 2026 17:00:00 +0100 | true",
        "If-Modified-Since   | Wednesday, 26-Nov-26 16:00:00 GMT | true",
        "If-Modified-Since   | Thu, 26 Nov 2026 16:00:00 UTC | true",
        "If-Modified-Since   | garbage                       | true",
        "If-Range            | \"v1\"                        | false",
        "Range               | bytes=0-1                     | false",
        "Range               | bytes=0-1,3-4                 | true",
        "Range               | BYTES=0-1                     | true",
    })
    void ifMatchIfUnmodifiedSinceAndWebDavIfAreLeftToTheApplication(String name, String value, boolean left) {
        assertEquals(left, OriginPreconditions.carried(FakeRequest.get("/document", null).withHeader(name, value),
                clock.millis()));
    }

    @Test
    void hitCarryingIfMatchOrIfUnmodifiedSinceIsNeitherAnsweredFromTheEntryNorStored() {
        CachePolicy policy = new CachePolicy(Duration.ofSeconds(60), List.of(), Set.of(200), false);
        for (CachePolicy either : List.of(policy, policy.fromHeaders(), policy.asSent())) {
            FakeRequest plain = FakeRequest.get("/document", null);
            Lookup miss = cache.lookup(either, plain);
            assertEquals(Lookup.Outcome.MISS, miss.outcome());
            cache.store(miss, 200, List.of(new Header("Cache-Control", "max-age=60"), new Header("ETag", "\"v1\""),
                    new Header("Last-Modified", "Thu, 26 Nov 2026 15:00:00 GMT")), new byte[] {1});
            assertEquals(Lookup.Outcome.HIT, cache.lookup(either, plain).outcome());
            for (String[] precondition : new String[][] {{"If-Match", "\"v0\""}, {"If-Match", "\"v1\""},
                    {"If-Unmodified-Since", "Thu, 26 Nov 2026 14:00:00 GMT"}, {"If", "(<urn:uuid:1>)"}}) {
                FakeRequest conditional = plain.withHeader(precondition[0], precondition[1]);
                for (Lookup lookup : List.of(cache.lookup(either, conditional), cache.peek(either, conditional))) {
                    assertEquals(Lookup.Outcome.BYPASS, lookup.outcome(), either + " " + precondition[0]);
                    assertEquals("precondition", lookup.reason());
                    assertFalse(lookup.mayStore());
                }
            }
            cache.invalidator().evictAll();
        }
    }

    @Test
    void onlyIfCachedWithIfMatchIsAGatewayTimeoutNotForwarded() {
        CachePolicy policy = new CachePolicy(Duration.ofSeconds(60), List.of(), Set.of(200), false).fromHeaders();
        Lookup lookup = cache.lookup(policy, FakeRequest.get("/document", null).withHeader("If-Match", "\"v1\"")
                .withHeader("Cache-Control", "only-if-cached"));
        assertEquals(true, lookup.onlyIfCachedMiss());
    }
}
