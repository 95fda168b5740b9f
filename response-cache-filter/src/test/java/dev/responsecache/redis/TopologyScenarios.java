package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.glassfish.jersey.server.ResourceConfig;

/**
 * What every Redis topology must do, run against each (Cluster, Sentinel, TLS): two application instances share
 * entries, an eviction through one reaches both, the store-versus-eviction race stores nothing stale, and (where the
 * topology has a replica) a failover under load costs misses, never an error.
 */
final class TopologyScenarios {

    /** Enough pages that their entries and tags spread over every Cluster node. */
    static final int PAGES = 24;

    final Map<String, String> prices = new ConcurrentHashMap<>(Map.of("1", "10", "2", "20"));
    final RedisResource itemsA = new RedisResource();
    final RedisResource itemsB = new RedisResource();
    final CatalogueResource catalogueA = new CatalogueResource(prices);
    final CatalogueResource catalogueB = new CatalogueResource(prices);
    final String prefix = RedisApps.uniquePrefix();
    final TestServer instanceA;
    final TestServer instanceB;

    /** Two instances of one application under a fresh prefix, with {@code redis} properties added. */
    TopologyScenarios(Map<String, String> redis) {
        catalogueB.resume.countDown();
        instanceA = TestServer.jersey(app(itemsA, catalogueA, prefix, redis)).start();
        instanceB = TestServer.jersey(app(itemsB, catalogueB, prefix, redis)).start();
    }

    private static ResourceConfig app(RedisResource items, CatalogueResource catalogue, String prefix,
                                      Map<String, String> redis) {
        ResourceConfig config = new ResourceConfig()
                .register(items)
                .register(catalogue)
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                // Short, so that Redis is probed again soon after a failover.
                .property(ResponseCacheProperties.REDIS_COOL_DOWN, "200ms")
                // Far beyond any normal reply (the default is 200 ms), a TLS handshake on a cold JVM included: on a
                // loaded machine a late reply would turn an expected hit into a miss. A killed node refuses or resets
                // connections at once, so a failover is not slowed by it.
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s");
        redis.forEach(config::property);
        return config;
    }

    void close() {
        instanceA.close();
        instanceB.close();
    }

    static String cacheStatus(HttpResponse<?> response) {
        return response.headers().firstValue("X-Cache").orElse("none");
    }

    /** Every page stored through A is a hit through B, intact; B's method never runs. */
    void secondInstanceHitsWhatTheFirstStored() {
        for (int page = 0; page < PAGES; page++) {
            HttpResponse<String> miss = instanceA.getText("/api/pages/" + page);
            assertEquals(200, miss.statusCode());
            assertEquals("MISS", cacheStatus(miss));
        }
        for (int page = 0; page < PAGES; page++) {
            HttpResponse<String> hit = instanceB.getText("/api/pages/" + page);
            assertEquals("HIT", cacheStatus(hit), "page " + page);
            assertEquals(RedisResource.pageBody(page), hit.body());
        }
        assertEquals(PAGES, itemsA.calls.get());
        assertEquals(0, itemsB.calls.get());
    }

    /** A change through one instance evicts the path and tags for both; other entries stay. */
    void evictionThroughOneInstanceReachesBoth() {
        cachedOnBoth("/api/products/1");
        cachedOnBoth("/api/products/2");
        assertEquals(204, send(instanceB, "PUT", "/api/products/1", "11"));
        HttpResponse<String> fresh = instanceA.getText("/api/products/1");
        assertEquals("MISS", cacheStatus(fresh));
        assertEquals("product 1 costs 11", fresh.body());
        assertEquals("HIT", cacheStatus(instanceA.getText("/api/products/2")));
        assertEquals(200, send(instanceA, "POST", "/api/products/2/discount", "15"));
        HttpResponse<String> discounted = instanceB.getText("/api/products/2");
        assertEquals("MISS", cacheStatus(discounted));
        assertEquals("product 2 costs 15", discounted.body());
    }

    /** The race, driven by latches: a miss that read before an eviction on the other instance stores nothing. */
    void missThatReadBeforeAnEvictionOnTheOtherInstanceStoresNothing() throws Exception {
        CompletableFuture<HttpResponse<String>> stale = CompletableFuture.supplyAsync(
                () -> instanceA.getText("/api/products/1/gated"));
        assertTrue(catalogueA.read.await(60, TimeUnit.SECONDS));
        assertEquals(200, send(instanceB, "POST", "/api/products/1/discount", "7"));
        catalogueA.resume.countDown();
        assertEquals("gated 1 costs 10", stale.get(60, TimeUnit.SECONDS).body());
        HttpResponse<String> fresh = instanceB.getText("/api/products/1/gated");
        assertEquals("MISS", cacheStatus(fresh), "the stale response was not stored");
        assertEquals("gated 1 costs 7", fresh.body());
    }

    /**
     * With near tiers: B's heap copy is dropped when A evicts, through the eviction channel (B would otherwise serve
     * its copy for the whole ttl). {@code subscribers} counts the channel's subscribers over the whole deployment.
     */
    void evictionThroughOneInstanceDropsTheOthersNearCopy(java.util.function.LongSupplier subscribers) {
        Eventually.until(() -> subscribers.getAsLong() >= 2, Duration.ofSeconds(30),
                () -> "the instances never both subscribed to " + prefix + "evictions");
        cachedOnBoth("/api/products/1");
        assertEquals("HIT", cacheStatus(instanceB.getText("/api/products/1")), "from B's near tier");
        assertEquals(200, send(instanceA, "POST", "/api/products/1/discount", "9"));
        Eventually.until(() -> "product 1 costs 9".equals(instanceB.getText("/api/products/1").body()),
                Duration.ofSeconds(30), () -> "B kept serving its near copy after the eviction");
    }

    private void cachedOnBoth(String path) {
        instanceA.getText(path);
        assertEquals("HIT", cacheStatus(instanceB.getText(path)), path);
    }

    private static int send(TestServer server, String method, String path, String body) {
        return server.send(server.request(path).method(method, HttpRequest.BodyPublishers.ofString(body)).build())
                .statusCode();
    }

    /**
     * What a failover under load cost, for the report; only {@code failed} is asserted on (it must be 0). The failover
     * gap is counted in requests rather than timed (a loaded machine would make times say more about the machine than
     * about the failover): answered from the kill until the topology named a new primary, and until a whole round of
     * pages was hits on both instances.
     */
    record FailoverFigures(long requests, long failed, long uncachedAfterKill, long answeredUntilNewPrimary,
                           long answeredUntilAllPagesHit, long peakThreads) {
        @Override
        public String toString() {
            return requests + " requests (" + failed + " not 200), " + uncachedAfterKill
                    + " served uncached from the kill until every page hit again; " + answeredUntilNewPrimary
                    + " answered until a new primary was known, " + answeredUntilAllPagesHit
                    + " until every page was a hit again; peak live threads " + peakThreads;
        }
    }

    /**
     * Four clients request every page from both instances without pause; {@code kill} ends the primary, and the
     * load goes on until the topology names a new primary ({@code promoted}) and then a whole round of pages is hits
     * on both instances.
     */
    FailoverFigures failoverUnderLoad(Runnable kill, java.util.function.BooleanSupplier promoted) throws Exception {
        secondInstanceHitsWhatTheFirstStored();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean killed = new AtomicBoolean();
        AtomicLong requests = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong uncachedAfterKill = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            TestServer server = c % 2 == 0 ? instanceA : instanceB;
            int offset = c;
            load.add(clients.submit(() -> {
                for (int i = offset; running.get(); i++) {
                    HttpResponse<String> response = server.getText("/api/pages/" + (i % PAGES));
                    requests.incrementAndGet();
                    if (response.statusCode() != 200 || !RedisResource.pageBody(i % PAGES).equals(response.body())) {
                        failed.incrementAndGet();
                    }
                    if (killed.get() && !"HIT".equals(cacheStatus(response))) {
                        uncachedAfterKill.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        AtomicLong peakThreads = new AtomicLong(Thread.activeCount());
        try {
            Eventually.until(() -> requests.get() > 200, Duration.ofSeconds(60), () -> "the load never got going");
            long answeredAtKill = requests.get();
            killed.set(true);
            kill.run();
            // Live threads sampled on every poll: a pile-up of request threads waiting on Redis would show here.
            Eventually.until(() -> {
                peakThreads.accumulateAndGet(Thread.activeCount(), Math::max);
                return promoted.getAsBoolean();
            }, Duration.ofSeconds(90), () -> "no new primary after the kill");
            long untilNewPrimary = requests.get() - answeredAtKill;
            Eventually.until(() -> {
                peakThreads.accumulateAndGet(Thread.activeCount(), Math::max);
                return allPagesHit(instanceA) && allPagesHit(instanceB);
            }, Duration.ofSeconds(90), () -> "hits never resumed on both instances after the failover");
            long untilAllHit = requests.get() - answeredAtKill;
            running.set(false);
            for (Future<?> client : load) {
                client.get(60, TimeUnit.SECONDS);
            }
            return new FailoverFigures(requests.get(), failed.get(), uncachedAfterKill.get(), untilNewPrimary,
                    untilAllHit, peakThreads.get());
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
    }

    private static boolean allPagesHit(TestServer server) {
        for (int page = 0; page < PAGES; page++) {
            HttpResponse<String> response = server.getText("/api/pages/" + page);
            if (response.statusCode() != 200) {
                throw new AssertionError("page " + page + " answered " + response.statusCode());
            }
            if (!"HIT".equals(cacheStatus(response))) {
                return false;
            }
        }
        return true;
    }
}
