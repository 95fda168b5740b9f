package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.testing.MutableClock;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Entries that name their host, in a real store: each origin the runtime saw (scheme, host, port) has its own,
 * kept side by side as {@code Vary} variants are, and one stored before the origin was recorded misses once.
 */
abstract class SeenOriginEntriesContract {

    private static final FakeRequest REQUEST = FakeRequest.get("/p", null).withHeader("Host", "shop.example");
    private static final SeenAtRequest OVER_HTTP = new SeenAtRequest(REQUEST, "http://shop.example:80");
    private static final SeenAtRequest OVER_HTTPS = new SeenAtRequest(REQUEST, "https://shop.example:443");

    final MutableClock clock = new MutableClock();
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
    private ResponseStore store;
    private ResponseCache cache;

    /** The store under test, on {@link #clock}, and its name. */
    abstract ResponseStore store();

    abstract String storeName();

    @BeforeEach
    void start() {
        store = store();
        cache = new ResponseCache(new CacheSettings(true, storeName(), 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES),
                "X-Cache", Duration.ofSeconds(30), clock), store);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    /** Looks up; on a miss stores a page linking to itself at the origin the request was seen at. */
    private Lookup ask(SeenAtRequest request) {
        Lookup lookup = cache.lookup(policy, request);
        if (lookup.outcome() == Lookup.Outcome.MISS) {
            assertNotNull(cache.store(lookup, 200, List.of(), page(request)));
        }
        return lookup;
    }

    private static byte[] page(SeenAtRequest request) {
        return ("<a href=\"" + request.origin() + "/next\">").getBytes(StandardCharsets.UTF_8);
    }

    private static String body(Lookup hit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            hit.entry().writeBody(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachSchemeOfAnEntryNamingItsHostHasItsOwnAndBothHit() {
        assertEquals(Lookup.Outcome.MISS, ask(OVER_HTTP).outcome());
        assertEquals(Lookup.Outcome.MISS, ask(OVER_HTTPS).outcome());
        for (int i = 0; i < 2; i++) {
            for (SeenAtRequest request : List.of(OVER_HTTP, OVER_HTTPS)) {
                Lookup hit = ask(request);
                assertEquals(Lookup.Outcome.HIT, hit.outcome(), request.origin());
                assertEquals(new String(page(request), StandardCharsets.UTF_8),
                        body(hit));
            }
        }
    }

    @Test
    void anEntryNamingItsHostStoredWithoutTheOriginMissesOnceThenHits() {
        String key = cache.lookup(policy, OVER_HTTPS).key();
        List<CacheEntry.VaryValue> headersOnly = List.of(new CacheEntry.VaryValue("host", "shop.example"),
                new CacheEntry.VaryValue("x-forwarded-host", null), new CacheEntry.VaryValue("x-forwarded-proto", null),
                new CacheEntry.VaryValue("x-forwarded-port", null),
                new CacheEntry.VaryValue(HostDerived.FORWARDED_HOST, null));
        long now = clock.millis();
        store.put(new CacheEntry(key, 200, List.of(), page(OVER_HTTP), now, now + 10_000, headersOnly));
        assertEquals(Lookup.Outcome.MISS, ask(OVER_HTTPS).outcome(), "the http page, matched on Host alone");
        Lookup hit = ask(OVER_HTTPS);
        assertEquals(Lookup.Outcome.HIT, hit.outcome());
        assertEquals(new String(page(OVER_HTTPS), StandardCharsets.UTF_8),
                body(hit));
    }
}
