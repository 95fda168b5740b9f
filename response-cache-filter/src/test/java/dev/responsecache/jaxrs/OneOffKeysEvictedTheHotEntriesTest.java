package dev.responsecache.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.TestServer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store bounded to four entries, evicting: a scan of keys asked for once each (a crawler, a new query string per
 * request) was stored, and each one evicted an entry asked for again, the hot one among them. Under pressure
 * ({@code responsecache.admission}, on by default) a key's first request passes the cache by, and its second is
 * stored. Real Jetty, Jersey and Ehcache; pressure is read off Ehcache's statistics once per second of the injected
 * ticker.
 */
class OneOffKeysEvictedTheHotEntriesTest {

    private static final String NOT_ADMITTED = "ResponseCache; fwd=uri-miss; detail=not-admitted";

    private final AtomicLong nanos = new AtomicLong();
    private final MutableClock clock = new MutableClock();
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final CountingResource resource = new CountingResource();
    private TestServer server;

    private void start(String admission) {
        ResourceConfig app = new ResourceConfig().register(resource).register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, "4")
                .property(ResponseCacheProperties.TICKER, (LongSupplier) nanos::get)
                .property(ResponseCacheProperties.CLOCK, clock)
                .property(ResponseCacheProperties.STALE_WHILE_REVALIDATE, "30s")
                .property(ResponseCacheProperties.METER_REGISTRY, registry);
        if (admission != null) {
            app.property(ResponseCacheProperties.ADMISSION, admission);
        }
        server = TestServer.jersey(app).start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Fills the store past its bound (so it evicts), then lets a second pass on the ticker. */
    private void fillPastTheBound() {
        for (int i = 1; i <= 5; i++) {
            assertEquals("ResponseCache; fwd=uri-miss", status(get("/api/items/" + i)), "no pressure yet: stored");
        }
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    }

    private HttpResponse<String> get(String path) {
        return server.getText(path);
    }

    private static String status(HttpResponse<String> response) {
        return response.headers().firstValue("Cache-Status").orElse("none");
    }

    @Test
    void oneOffKeysWhileTheStoreEvictsAreNotStoredAndTheHotEntryKeepsAnswering() {
        start(null);
        fillPastTheBound();

        HttpResponse<String> first = get("/api/items/hot");
        assertEquals(NOT_ADMITTED, status(first), "a key not asked for recently passes by while the store evicts");
        assertEquals("MISS", first.headers().firstValue("X-Cache").orElseThrow());
        HttpResponse<String> second = get("/api/items/hot");
        assertEquals("ResponseCache; fwd=uri-miss", status(second), "its second request is stored");
        HttpResponse<String> hit = get("/api/items/hot");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        int calls = resource.calls.get();

        for (int i = 0; i < 20; i++) {
            assertEquals(NOT_ADMITTED, status(get("/api/items/once-" + i)));
        }
        assertEquals(calls + 20, resource.calls.get(), "each one-off request ran the method");
        HttpResponse<String> after = get("/api/items/hot");
        assertEquals("HIT", after.headers().firstValue("X-Cache").orElseThrow(), "the scan left the hot entry");
        assertEquals(hit.body(), after.body());

        Counter refused = registry.find("responsecache.refusals").tag("reason", "not-admitted").counter();
        assertEquals(21, refused == null ? 0 : refused.count(), "the hot key's first request and the 20 one-offs");
        Counter misses = registry.find("responsecache.requests").tag("outcome", "miss").tag("reason", "uri-miss")
                .counter();
        assertEquals(5 + 2 + 20, misses == null ? 0 : misses.count(), "a request not admitted is a miss");
        Counter stored = registry.find("responsecache.stores").counter();
        assertEquals(5 + 1, stored == null ? 0 : stored.count(), "the filling entries and the hot one");
    }

    /**
     * An admitted key's stale entry is refreshed under pressure as without it: the key has an entry, so its miss is
     * stored. (Without the servlet runner in front, the stale request runs the refresh itself, {@code fwd=stale}.)
     */
    @Test
    void staleEntryOfAnAdmittedKeyIsRefreshedUnderPressure() {
        start(null);
        fillPastTheBound();
        get("/api/items/hot");
        get("/api/items/hot");
        HttpResponse<String> hit = get("/api/items/hot");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());

        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> refresh = get("/api/items/hot");
        assertEquals("ResponseCache; fwd=stale", status(refresh), "refreshed and stored, not refused");
        HttpResponse<String> after = get("/api/items/hot");
        assertEquals("HIT", after.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(refresh.body(), after.body());
        assertNotEquals(hit.body(), after.body(), "the refreshed entry");
    }

    /** Another {@code Vary} variant of an admitted key is stored at its first request: the key has an entry. */
    @Test
    void otherVariantOfAnAdmittedKeyIsStoredAtItsFirstRequest() {
        start(null);
        fillPastTheBound();
        String path = "/api/vary-response";
        assertEquals(NOT_ADMITTED, status(server.getText(path, "X-Flavour", "vanilla")));
        assertEquals("ResponseCache; fwd=uri-miss", status(server.getText(path, "X-Flavour", "vanilla")));

        HttpResponse<String> mint = server.getText(path, "X-Flavour", "mint");
        assertEquals("ResponseCache; fwd=vary-miss", status(mint), "admitted: the key has an entry");
        assertEquals("HIT", server.getText(path, "X-Flavour", "mint").headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", server.getText(path, "X-Flavour", "vanilla").headers().firstValue("X-Cache")
                .orElseThrow());
    }

    /**
     * A refused miss stores nothing, and the response filter then records nothing for a store; its response still
     * carries the {@code Vary} of its method and the one the cache adds for a negotiated type, as the key's stored
     * miss and its hit do, so that a cache downstream keys it alike.
     */
    @Test
    void refusedMissCarriesTheVaryOfItsStoredMissAndHit() {
        start(null);
        fillPastTheBound();
        HttpResponse<String> refused = server.getText("/api/vary-response", "X-Flavour", "vanilla");
        assertEquals(NOT_ADMITTED, status(refused));
        HttpResponse<String> stored = server.getText("/api/vary-response", "X-Flavour", "vanilla");
        assertEquals("ResponseCache; fwd=uri-miss", status(stored));
        HttpResponse<String> hit = server.getText("/api/vary-response", "X-Flavour", "vanilla");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(List.of("X-Flavour"), refused.headers().allValues("Vary"));
        assertEquals(refused.headers().allValues("Vary"), stored.headers().allValues("Vary"));
        assertEquals(refused.headers().allValues("Vary"), hit.headers().allValues("Vary"));

        HttpResponse<String> negotiated = server.getText("/api/negotiated", "Accept", "text/plain");
        assertEquals(NOT_ADMITTED, status(negotiated));
        HttpResponse<String> negotiatedStored = server.getText("/api/negotiated", "Accept", "text/plain");
        assertEquals("ResponseCache; fwd=uri-miss", status(negotiatedStored));
        assertTrue(negotiated.headers().allValues("Vary").toString().contains("Accept"), "the negotiated type's");
        assertEquals(negotiatedStored.headers().allValues("Vary"), negotiated.headers().allValues("Vary"));
    }

    /**
     * Hits recorded no sighting: under a scan of more than two doorkeeper windows (1,024 keys each here), the hot
     * key's sighting was forgotten, and once its entry left the store its next request was refused (the method run
     * again uncached, concurrent requests not coalesced), once per expiry. A hit in the last quarter of the entry's
     * life renews the sighting. The clock moves a millisecond per request so that Ehcache's eviction, least recently
     * used among its four entries (ties broken at random), keeps the hot entry when a one-off key is falsely taken for
     * one seen and stored.
     */
    @Test
    void hotKeyWasRefusedAfterEachExpiryUnderAScan() {
        start(null);
        fillPastTheBound();
        clock.advance(Duration.ofMillis(1));
        get("/api/items/hot");
        assertEquals("ResponseCache; fwd=uri-miss", status(get("/api/items/hot")));
        clock.advance(Duration.ofMillis(1));
        for (int i = 0; i < 2400; i++) {
            get("/api/items/once-" + i);
            clock.advance(Duration.ofMillis(1));
            if (i % 3 == 0) {
                assertEquals("HIT", get("/api/items/hot").headers().firstValue("X-Cache").orElseThrow());
                clock.advance(Duration.ofMillis(1));
            }
        }
        Counter refused = registry.find("responsecache.refusals").tag("reason", "not-admitted").counter();
        assertTrue(refused != null && refused.count() > 2 * 1024 + 1, "two windows of refused keys at least");

        clock.advance(Duration.ofSeconds(46));
        assertEquals("HIT", get("/api/items/hot").headers().firstValue("X-Cache").orElseThrow(),
                "in the last quarter of its 60 s");
        clock.advance(Duration.ofSeconds(45));
        int calls = resource.calls.get();
        HttpResponse<String> afterExpiry = get("/api/items/hot");
        assertEquals("ResponseCache; fwd=uri-miss", status(afterExpiry),
                "its entry gone (60 s and 30 s stale): stored again, not refused");
        assertEquals(calls + 1, resource.calls.get());
        HttpResponse<String> hit = get("/api/items/hot");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(afterExpiry.body(), hit.body());
    }

    @Test
    void withAdmissionOffTheScanEvictsTheHotEntry() {
        start("off");
        fillPastTheBound();
        assertEquals("ResponseCache; fwd=uri-miss", status(get("/api/items/hot")));
        assertEquals("HIT", get("/api/items/hot").headers().firstValue("X-Cache").orElseThrow());

        for (int i = 0; i < 20; i++) {
            assertEquals("ResponseCache; fwd=uri-miss", status(get("/api/items/once-" + i)));
        }
        assertEquals("MISS", get("/api/items/hot").headers().firstValue("X-Cache").orElseThrow(),
                "twenty one-off entries in a store of four evicted it");
    }

    @Test
    void withoutEvictionsEveryMissIsStored() {
        start(null);
        for (int i = 1; i <= 4; i++) {
            assertEquals("ResponseCache; fwd=uri-miss", status(get("/api/items/" + i)));
        }
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals("ResponseCache; fwd=uri-miss", status(get("/api/items/4?v=2")), "a full store not seen evicting admits");
    }
}
