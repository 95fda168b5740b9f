package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.spi.StaleWindows;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two instances of an application behind one Redis serve each other's entries, intact. */
class RedisSharedCacheIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final RedisResource first = new RedisResource();
    private final RedisResource second = new RedisResource();
    private TestServer instanceA;
    private TestServer instanceB;

    @BeforeEach
    void startInstances() {
        instanceA = RedisApps.start(first, redis.uri(), prefix);
        instanceB = RedisApps.start(second, redis.uri(), prefix);
    }

    @AfterEach
    void stopInstances() {
        instanceA.close();
        instanceB.close();
    }

    @Test
    void secondInstanceHitsWhatTheFirstStored() {
        HttpResponse<String> miss = instanceA.getText("/api/items/1");
        HttpResponse<String> hit = instanceB.getText("/api/items/1");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(200, hit.statusCode());
        assertEquals("item 1 call 1", hit.body());
        assertEquals(1, first.calls.get());
        assertEquals(0, second.calls.get());
    }

    @Test
    void statusAndHeadersSurviveTheRoundTripThroughRedis() {
        HttpResponse<String> miss = instanceA.getText("/api/custom");
        HttpResponse<String> hit = instanceB.getText("/api/custom");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(203, hit.statusCode());
        assertEquals(miss.body(), hit.body());
        assertEquals("application/vnd.example+json", hit.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(List.of("one", "two"), hit.headers().allValues("X-Custom"));
        assertEquals("en", hit.headers().firstValue("Content-Language").orElseThrow());
        assertTrue(hit.headers().firstValue("ETag").isPresent());
        // The method's Cache-Status lines are stored (an empty one and one past ASCII too); the cache's own member
        // is not, and each answer appends one to the members, as the miss showed them.
        String upstream = "OriginCache; hit, Edge; fwd=uri-miss; detail=\"\u00e9t\u00e9\", ResponseCache; ";
        List<String> status = hit.headers().allValues("Cache-Status");
        assertEquals(List.of(upstream + "fwd=uri-miss"), miss.headers().allValues("Cache-Status"));
        assertTrue(status.size() == 1 && status.get(0).startsWith(upstream + "hit; ttl="), status.toString());
        assertEquals(0, second.calls.get());
    }

    @Test
    void hitIsOneGetAndAStoredMissAlsoIndexesItsThreeTags() {
        RedisCommandStats.reset(redis);
        instanceA.getText("/api/items/9");
        // The lookup GET, the key's lease (an EVAL of SET NX PX) and a GET again under it, the mark GET, then for the
        // path tag, the URL tag and the all-entries tag: the eviction epochs read before the SET, and one EVAL each
        // (with the commands it runs, Redis's TIME first, the epoch's GET last) adding the entry to the tag set, and
        // the eviction counter and its floor read after them; the entry's node's clock read with the epochs (an EVAL
        // of TIME), and the entry's SET in an EVAL that reads TIME first (a write its node takes too late stores
        // nothing); then the lease's release (an EVAL of GET, DEL and PUBLISH).
        Map<String, Long> miss = new TreeMap<>(Map.of("get", 12L, "set", 2L, "eval", 7L, "time", 5L,
                "zremrangebyscore", 3L, "zadd", 3L, "pttl", 3L, "pexpire", 3L, "del", 1L, "publish", 1L));
        assertEquals(miss, RedisCommandStats.readsAndWrites(redis));
        for (int i = 0; i < 5; i++) {
            assertEquals("HIT", instanceB.getText("/api/items/9").headers().firstValue("X-Cache").orElseThrow());
        }
        Map<String, Long> afterHits = new TreeMap<>(miss);
        afterHits.put("get", 17L);
        assertEquals(afterHits, RedisCommandStats.readsAndWrites(redis), "one round trip per hit, nothing else");
    }

    @Test
    void nearCacheServesAHotEntryAfterAtMostOneRedisReadPerInstance() {
        MutableClock clock = new MutableClock();
        RedisResource nearFirst = new RedisResource();
        RedisResource nearSecond = new RedisResource();
        String nearPrefix = RedisApps.uniquePrefix();
        try (TestServer a = TestServer.jersey(nearCached(nearFirst, nearPrefix, clock)).start();
             TestServer b = TestServer.jersey(nearCached(nearSecond, nearPrefix, clock)).start()) {
            // Each instance's warm-up entry is the same key, stored by the first: the second's method never runs.
            RedisCommandStats.untilNearCopiesAnswer(redis, () -> a.getText("/api/items/warm-up"));
            RedisCommandStats.untilNearCopiesAnswer(redis, () -> b.getText("/api/items/warm-up"));
            RedisCommandStats.reset(redis);
            HttpResponse<String> miss = a.getText("/api/items/1");
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> hit = b.getText("/api/items/1");
                assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
                assertEquals(miss.body(), hit.body());
            }
            assertEquals("HIT", a.getText("/api/items/1").headers().firstValue("X-Cache").orElseThrow());
            Map<String, Long> expected = new TreeMap<>(Map.of("set", 2L, "eval", 7L, "time", 5L,
                    "zremrangebyscore", 3L, "zadd", 3L, "pttl", 3L, "pexpire", 3L, "del", 1L, "publish", 1L));
            // The miss: lookup, a read under the lease, mark and six eviction-epoch reads, the counter and its floor
            // read after the store, the lease taken and released; the instance that stored keeps its near copy, the other reads once, and each answers from
            // its own heap.
            expected.put("get", 13L);
            assertEquals(expected, RedisCommandStats.readsAndWrites(redis),
                    "one read by the other instance, then each answers from its heap");

            clock.advance(Duration.ofSeconds(60));
            assertEquals("MISS", b.getText("/api/items/1").headers().firstValue("X-Cache").orElseThrow(),
                    "the near copy expires with the shared entry");
            assertEquals(1, nearSecond.calls.get());
        }
    }

    @Test
    void otherInstanceAnswersAFailingMethodWithTheStaleEntryFromRedis() {
        MutableClock clock = new MutableClock();
        RedisResource staleFirst = new RedisResource();
        RedisResource staleSecond = new RedisResource();
        String stalePrefix = RedisApps.uniquePrefix();
        try (TestServer a = TestServer.jersey(RedisApps.app(staleFirst, redis.uri(), stalePrefix)
                     .property(ResponseCacheProperties.CLOCK, clock)).start();
             TestServer b = TestServer.jersey(RedisApps.app(staleSecond, redis.uri(), stalePrefix)
                     .property(ResponseCacheProperties.CLOCK, clock)).start()) {
            HttpResponse<String> miss = a.getText("/api/stale/9");
            clock.advance(Duration.ofSeconds(61));
            staleSecond.failing.set(true);
            HttpResponse<String> stale = b.getText("/api/stale/9");
            assertEquals(200, stale.statusCode());
            assertEquals(miss.body(), stale.body());
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
            assertEquals(1, staleSecond.calls.get(), "the method ran on the second instance, and failed");
            clock.advance(Duration.ofSeconds(600));
            assertEquals(503, b.getText("/api/stale/9").statusCode(), "past the window the error goes through");
        }
    }

    private static ResourceConfig nearCached(RedisResource resource, String prefix, MutableClock clock) {
        return RedisApps.app(resource, redis.uri(), prefix)
                .property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100")
                .property(ResponseCacheProperties.CLOCK, clock);
    }

    @Test
    void entryExpiresInRedisAfterItsTtl() {
        instanceA.getText("/api/items/2");
        Set<String> keys = redis.keys(prefix + "v" + EntryCodec.VERSION + ":");
        assertEquals(1, keys.size(), keys::toString);
        String key = keys.iterator().next();
        long pttl = redis.client().pttl(key);
        // The resource's ttl is 60 s; a little has passed since the SET.
        assertTrue(pttl > 55_000 && pttl <= 60_000, "PTTL " + pttl);
    }

    @Test
    void entryWithStaleWindowsIsKeptInRedisForTtlPlusTheLongerWindowAndRecordsItsOriginalExpiry() {
        instanceA.getText("/api/stale/1");
        // The entry's key; the tag index keys share the prefix.
        String key = redis.keys(prefix + "v" + EntryCodec.VERSION + ":").iterator().next();
        long pttl = redis.client().pttl(key);
        // ttl 60 s + max(staleWhileRevalidate 30 s, staleIfError 600 s); a little has passed since the SET.
        assertTrue(pttl > 655_000 && pttl <= 660_000, "PTTL " + pttl);
        CacheEntry entry = EntryCodec.decode(redis.client().get(key.getBytes(StandardCharsets.UTF_8)));
        assertEquals(60_000, entry.expiresAtMillis() - entry.storedAtMillis());
        assertEquals(new StaleWindows(30_000, 600_000), entry.staleWindows());
    }

    @Test
    void redisKeyIsThePrefixTheFormatVersionAndADigestAndTheValueNamesTheFullKey() {
        instanceA.getText("/api/items/3?long=" + "x".repeat(2000));
        String key = redis.keys(prefix + "v" + EntryCodec.VERSION + ":").iterator().next();
        assertTrue(key.matches(Pattern.quote(prefix) + "v" + EntryCodec.VERSION + ":k2:\\{[A-Za-z0-9_-]{43}}"), key);
        CacheEntry entry = EntryCodec.decode(redis.client().get(key.getBytes(StandardCharsets.UTF_8)));
        assertTrue(entry.key().contains("/items/3"), entry.key());
    }

    @Test
    void largeBodyIsSharedByteForByte() {
        HttpResponse<byte[]> miss = instanceA.get("/api/large");
        HttpResponse<byte[]> hit = instanceB.get("/api/large");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertArrayEquals(RedisResource.largeBody(), miss.body());
        assertArrayEquals(RedisResource.largeBody(), hit.body());
        assertEquals(0, second.calls.get());
    }

    @Test
    void manyConcurrentClientsOnBothInstancesGetCompleteCorrectBodies() throws Exception {
        int clients = 50;
        int requestsEach = 20;
        int pages = 10;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                TestServer instance = c % 2 == 0 ? instanceA : instanceB;
                int client = c;
                Callable<Integer> work = () -> {
                    go.await();
                    int hits = 0;
                    for (int r = 0; r < requestsEach; r++) {
                        int page = (client + r) % pages;
                        HttpResponse<byte[]> response = instance.get("/api/pages/" + page);
                        assertEquals(200, response.statusCode());
                        assertArrayEquals(RedisResource.pageBytes(page), response.body(), "page " + page);
                        if ("HIT".equals(response.headers().firstValue("X-Cache").orElse(""))) {
                            hits++;
                        }
                    }
                    return hits;
                };
                results.add(pool.submit(work));
            }
            go.countDown();
            int hits = 0;
            for (Future<Integer> result : results) {
                hits += result.get(60, TimeUnit.SECONDS);
            }
            // Each page is computed a few times at most (concurrent first misses), never once per request.
            int computed = first.calls.get() + second.calls.get();
            assertEquals(clients * requestsEach, hits + computed);
            assertTrue(computed < clients * requestsEach / 4, "computed " + computed + " times");
        } finally {
            pool.shutdownNow();
        }
    }
}
