package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * RFC 9111 4.3.4 and 4.2.3: a 304 that validates a stored response updates it with its fields, and its {@code Age}
 * (a cache upstream answered it) counts in the updated response's age as a 200's does. The {@code Age} was dropped
 * with the fields never stored before the age was reckoned, so a 304 saying {@code Age: 50} with {@code max-age=60}
 * made an entry fresh for a whole minute more, where it has ten seconds left.
 */
class AgeOfARevalidating304Test {

    private final MutableClock clock = new MutableClock();
    private final CachePolicy policy = new CachePolicy(Duration.ofHours(1), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false).fromHeaders();

    @Test
    void aRevalidating304sAgeCountsAgainstItsMaxAge() {
        ResponseCache cache = new ResponseCache(new CacheSettings(true, "ehcache", 1024,
                Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache", Duration.ofSeconds(30), clock),
                new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));
        FakeRequest request = FakeRequest.get("/p", null);
        Lookup miss = cache.lookup(policy, request, List.of());
        cache.store(miss, 200, List.of(new Header("Cache-Control", "max-age=10"), new Header("ETag", "\"a\"")),
                new byte[] {1});
        clock.advance(Duration.ofSeconds(11));
        Lookup stale = cache.lookup(policy, request, List.of());
        assertEquals(Lookup.Outcome.MISS, stale.outcome());
        cache.revalidated(stale, List.of(new Header("Cache-Control", "max-age=60"), new Header("ETag", "\"a\""),
                new Header("Age", "50")));
        cache.release(stale);
        clock.advance(Duration.ofSeconds(9));
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, request, List.of()).outcome(), "age 59 of 60");
        clock.advance(Duration.ofSeconds(2));
        // Got: a HIT (age taken as 11 s). Due: the response is 61 s old, past its max-age of 60.
        assertEquals(Lookup.Outcome.MISS, cache.lookup(policy, request, List.of()).outcome(), "age 61 of 60");
    }
}
