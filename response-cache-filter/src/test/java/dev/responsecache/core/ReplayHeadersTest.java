package dev.responsecache.core;

import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StaleWindows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A hit's Age, status header and Cache-Status, made once per value, still say the right thing at every value. */
class ReplayHeadersTest {

    private final MutableClock clock = new MutableClock();
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(7300), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false, StaleWindows.NONE, CachePolicy.UNNAMED);
    private final FakeRequest request = FakeRequest.get("/p", null);

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void ageAndTtlAreRightOnBothSidesOfThePreformattedRange() {
        long stored = clock.millis();
        Lookup miss = cache.lookup(policy, request);
        assertNotNull(cache.store(miss, 200, List.of(new Header("Content-Type", "text/plain")), new byte[] {1}));
        for (long age : new long[] {0, 1, 3599, 3600, 3700, 7299}) {
            clock.advance(Duration.ofMillis(age * 1000 - (clock.millis() - stored)));
            List<Header> headers = hit().replayHeaders("X-Cache");
            assertTrue(headers.contains(new Header("Age", Long.toString(age))), headers::toString);
            assertTrue(headers.contains(new Header("Cache-Status", "ResponseCache; hit; ttl=" + (7300 - age))),
                    headers::toString);
        }
    }

    @Test
    void hitStatusHeaderFollowsTheNameItIsAskedFor() {
        Lookup miss = cache.lookup(policy, request);
        assertNotNull(cache.store(miss, 200, List.of(), new byte[] {1}));
        assertTrue(hit().replayHeaders("X-Cache").contains(new Header("X-Cache", "HIT")));
        assertTrue(hit().replayHeaders("X-Edge-Cache").contains(new Header("X-Edge-Cache", "HIT")));
        assertTrue(hit().replayHeaders("X-Cache").contains(new Header("X-Cache", "HIT")));
    }

    private Lookup hit() {
        Lookup hit = cache.lookup(policy, request);
        assertEquals(Lookup.Outcome.HIT, hit.outcome());
        return hit;
    }
}
