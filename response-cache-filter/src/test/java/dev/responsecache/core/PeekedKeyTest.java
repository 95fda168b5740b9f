package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lookup behind a peek takes the peek's key only for the very request the peek keyed, unchanged since (the adapter
 * vouches with {@link CacheRequest#keyOrigin()}), under the same policy and representation; otherwise it builds its
 * own key and takes the peek's read only when the keys are equal. Each lookup below is given a request whose own key
 * differs from the peek's, so the key it uses shows which it took.
 */
class PeekedKeyTest {

    private final MutableClock clock = new MutableClock();
    private final ResponseCache cache = new ResponseCache(
            new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                    Duration.ofSeconds(30), clock),
            new EhcacheStoreProvider().create(new StoreContext(new PropertyValues(name -> null), clock)));
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
    /** The request's attributes, where the peek keeps its read for the lookup. */
    private final Object[] attributes = new Object[1];

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void lookupOfTheRequestThePeekKeyedTakesThePeeksKey() {
        Object origin = new Object();
        String peeked = peek(FakeRequest.get("/p", "a=1"), origin);
        Lookup lookup = cache.lookup(policy, view(FakeRequest.get("/p", "a=2"), origin));
        assertEquals(peeked, lookup.key());
        assertNull(attributes[0], "the read is taken, and taken once");
    }

    @Test
    void lookupOfAnotherRequestObjectBuildsItsOwnKey() {
        String peeked = peek(FakeRequest.get("/p", "a=1"), new Object());
        Lookup lookup = cache.lookup(policy, view(FakeRequest.get("/p", "a=2"), new Object()));
        assertNotEquals(peeked, lookup.key());
        assertEquals(CacheKeys.of(FakeRequest.get("/p", "a=2"), policy), lookup.key());
    }

    @Test
    void peekThatCouldNotVouchForItsRequestIsKeyedAgain() {
        // A peek in front of filters that may change the request (the servlet filter's) names no origin.
        String peeked = peek(FakeRequest.get("/p", "a=1"), null);
        Lookup lookup = cache.lookup(policy, view(FakeRequest.get("/p", "a=2"), null));
        assertNotEquals(peeked, lookup.key());
        assertNotNull(attributes[0], "a read of another key is not taken");
    }

    @Test
    void lookupUnderAnotherPolicyOrRepresentationBuildsItsOwnKey() {
        Object origin = new Object();
        String peeked = peek(FakeRequest.get("/p", "a=1"), origin);
        CachePolicy other = new CachePolicy(Duration.ofSeconds(10), List.of(),
                Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
        assertNotEquals(peeked, cache.lookup(other, view(FakeRequest.get("/p", "a=2"), origin)).key());
        attributes[0] = null;
        peeked = peek(FakeRequest.get("/p", "a=1"), origin);
        FakeRequest xml = FakeRequest.get("/p", "a=1").withRepresentation("application/xml");
        assertEquals(CacheKeys.of(xml, policy), cache.lookup(policy, view(xml, origin)).key());
        assertNotEquals(peeked, CacheKeys.of(xml, policy));
    }

    /** Peeks (a miss) and returns the key it kept its read under. */
    private String peek(FakeRequest request, Object origin) {
        assertEquals(Lookup.Outcome.MISS, cache.peek(policy, view(request, origin)).outcome());
        assertNotNull(attributes[0], "a miss keeps its read for the lookup behind it");
        return ((PeekedRead) attributes[0]).key();
    }

    private CacheRequest view(FakeRequest request, Object origin) {
        return new CacheRequest() {
            @Override
            public String method() {
                return request.method();
            }

            @Override
            public String rawPath() {
                return request.rawPath();
            }

            @Override
            public String rawQuery() {
                return request.rawQuery();
            }

            @Override
            public String header(String name) {
                return request.header(name);
            }

            @Override
            public String cookie(String name) {
                return request.cookie(name);
            }

            @Override
            public String principalName() {
                return request.principalName();
            }

            @Override
            public String representation() {
                return request.representation();
            }

            @Override
            public Object keyOrigin() {
                return origin;
            }

            @Override
            public Object peekedRead() {
                return attributes[0];
            }

            @Override
            public void keepPeekedRead(Object read) {
                attributes[0] = read;
            }
        };
    }
}
