package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An entry whose {@code ETag} the ttl mode derived from the body, read by the header-driven mode (an endpoint moved
 * to {@code FROM_HEADERS} over a shared store), is revalidated by date: the derived tag is never sent. When the
 * origin then sends that very tag (an origin running this library issues it for the same body), in a 304 or a 200,
 * the tag is the origin's and later revalidations send it. A 304 carrying it left the entry recorded as derived, so
 * the tag was never sent again: every later revalidation went by date, or, without a date, fetched the body whole.
 */
class DerivedTagSentByTheOriginStayedDerivedTest {

    private static final String MODIFIED = "Tue, 24 Nov 2026 10:00:00 GMT";

    private final MutableClock clock = new MutableClock();
    private final CachePolicy ttlMode = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
    private final CachePolicy headerDriven = new CachePolicy(Duration.ofHours(1), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false).fromHeaders();
    private final FakeRequest request = FakeRequest.get("/p", null);
    private ResponseCache cache;
    private String derivedTag;

    @BeforeEach
    void storeInTheTtlMode() {
        cache = new ResponseCache(new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES),
                "X-Cache", Duration.ofSeconds(30), clock),
                new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));
        Lookup miss = cache.lookup(ttlMode, request, List.of());
        CacheEntry stored = cache.store(miss, 200, List.of(new Header("Last-Modified", MODIFIED)), new byte[] {1});
        assertTrue(stored.derivedETag());
        derivedTag = stored.etag();
    }

    /** The header-driven miss that finds the entry stale, with the conditions its revalidation sends. */
    private Lookup staleLookup() {
        Lookup stale = cache.lookup(headerDriven, request, List.of());
        assertEquals(Lookup.Outcome.MISS, stale.outcome());
        return stale;
    }

    @Test
    void notModifiedCarryingTheDerivedTagMakesItTheOriginsAndTheNextRevalidationSendsIt() {
        Lookup first = staleLookup();
        assertEquals(List.of(new Header("If-Modified-Since", MODIFIED)), first.conditionalHeaders(),
                "the derived tag is not sent to an origin that may not have issued it");
        Lookup revalidated = cache.revalidated(first, List.of(new Header("ETag", derivedTag),
                new Header("Last-Modified", MODIFIED)));
        cache.release(first);
        assertFalse(revalidated.entry().derivedETag());
        // Got: If-Modified-Since again, the origin's tag taken for the cache's own for as long as the entry lived.
        assertEquals(List.of(new Header("If-None-Match", derivedTag)), staleLookup().conditionalHeaders());
    }

    @Test
    void okCarryingTheDerivedTagMakesItTheOriginsAndTheNextRevalidationSendsIt() {
        Lookup first = staleLookup();
        CacheEntry replaced = cache.store(first, 200, List.of(new Header("ETag", derivedTag),
                new Header("Last-Modified", MODIFIED)), new byte[] {1});
        assertFalse(replaced.derivedETag());
        assertEquals(List.of(new Header("If-None-Match", derivedTag)), staleLookup().conditionalHeaders());
    }
}
