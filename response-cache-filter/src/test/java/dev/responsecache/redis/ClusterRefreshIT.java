package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.servlet.ResponseCacheInitializer;
import dev.responsecache.testing.Eventually;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;
import dev.responsecache.testing.TestServer;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several instances on one Redis refresh a stale key once for the whole cluster: the instance that takes the key's
 * lease refreshes it, the others keep answering stale; a holder whose method still runs keeps its lease (renewed
 * while it runs), so a waiter on another instance does not run the method a second time. Expiry is driven by one
 * injected clock shared by the instances; nothing sleeps.
 */
class ClusterRefreshIT {

    private static final String LONG_WAIT = "120s";
    /** See {@link ClusterCoalescingIT}: on a loaded machine only a Redis that does not answer counts against it. */
    private static final String PATIENT = "30s";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int REQUESTS_PER_INSTANCE = 20;

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final MutableClock clock = new MutableClock();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<TestServer> instances = new ArrayList<>();
    private final List<Runnable> openGates = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        openGates.forEach(Runnable::run);
        instances.forEach(TestServer::close);
    }

    @Test
    void staleKeyHitOnThreeJaxrsInstancesIsRefreshedOnceForTheCluster() throws Exception {
        StaleResource.Runs runs = runs(1);
        List<TestServer> three = List.of(jaxrs(runs, "a", null), jaxrs(runs, "b", null), jaxrs(runs, "c", null));
        staleKeyIsRefreshedOnce(runs, three, "/api/stale/1", "stale 1 run ");
    }

    @Test
    void staleKeyHitOnThreeServletFilterInstancesIsRefreshedOnceForTheCluster() throws Exception {
        StaleResource.Runs runs = runs(1);
        List<TestServer> three = List.of(filtered(runs, "a"), filtered(runs, "b"), filtered(runs, "c"));
        staleKeyIsRefreshedOnce(runs, three, "/stale/2", "stale /stale/2 run ");
    }

    private void staleKeyIsRefreshedOnce(StaleResource.Runs runs, List<TestServer> three, String path,
                                         String body) throws Exception {
        HttpResponse<String> miss = three.get(0).getText(path);
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(body + "1 on a", miss.body());
        RedisCommandStats.reset(redis);
        clock.advance(Duration.ofSeconds(61));

        List<CompletableFuture<HttpResponse<String>>> stale = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_INSTANCE; i++) {
            three.forEach(instance -> stale.add(get(instance, path)));
        }
        for (CompletableFuture<HttpResponse<String>> answer : stale) {
            HttpResponse<String> response = answer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals(body + "1 on a", response.body(), "answered stale at once, refresh or not");
            assertEquals("STALE", response.headers().firstValue("X-Cache").orElseThrow());
        }
        assertTrue(runs.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "no instance refreshed");
        // The refresh holds the lease in its method; each other instance asked once (the lease script reads the
        // holder's PTTL only when it finds the lease held), was refused, and runs nothing.
        Eventually.until(() -> calls("pttl") >= 2, DEADLINE, () -> "the other instances never asked for the lease");
        assertEquals(2, calls("pttl"), "each other instance asked once, and leaves the key to the holder");
        assertEquals(2, runs.count.get(), "the miss and one refresh");

        runs.open.countDown();
        for (TestServer instance : three) {
            Eventually.until(() -> "HIT".equals(instance.getText(path).headers().firstValue("X-Cache").orElse("")),
                    DEADLINE, () -> "the refreshed entry never answered");
            assertTrue(instance.getText(path).body().startsWith(body + "2 on "), "every instance reads the refresh");
        }
        assertEquals(2, runs.count.get(), "one refresh for " + stale.size() + " stale answers on three instances");
        assertEquals(Set.of(), redis.keys(prefix + "lease:"), "the refresh released its lease");
    }

    @Test
    void nearTierInstanceAnswersAnotherInstancesRefreshNotItsExpiredCopy() throws Exception {
        StaleResource.Runs runs = runs(1);
        TestServer a = jaxrs(runs, "a", null, true);
        TestServer b = jaxrs(runs, "b", null, true);
        assertEquals("MISS", a.getText("/api/stale/4").headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", b.getText("/api/stale/4").headers().firstValue("X-Cache").orElseThrow(),
                "b keeps a near copy");
        RedisCommandStats.reset(redis);
        clock.advance(Duration.ofSeconds(61));

        assertEquals("STALE", a.getText("/api/stale/4").headers().firstValue("X-Cache").orElseThrow());
        assertTrue(runs.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "a never refreshed");
        assertEquals("STALE", b.getText("/api/stale/4").headers().firstValue("X-Cache").orElseThrow());
        Eventually.until(() -> calls("pttl") >= 1, DEADLINE, () -> "b never asked for the lease");
        runs.open.countDown();
        Eventually.until(() -> "HIT".equals(a.getText("/api/stale/4").headers().firstValue("X-Cache").orElse("")),
                DEADLINE, () -> "a's refresh never stored");

        HttpResponse<String> fromB = b.getText("/api/stale/4");
        assertEquals("HIT", fromB.headers().firstValue("X-Cache").orElseThrow(),
                "b read past its expired near copy and found a's refresh");
        assertEquals("stale 4 run 2 on a", fromB.body());
        assertEquals(2, runs.count.get(), "b left the refresh to a");
    }

    @Test
    void headerDrivenNearCopyDoesNotHideAnotherInstancesRevalidationNorRevalidateAgain() throws Exception {
        StaleResource.Runs runs = runs(0);
        TestServer a = jaxrs(runs, "a", null, true);
        TestServer b = jaxrs(runs, "b", null, true);
        HttpResponse<String> miss = a.getText("/api/validated/6");
        assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("HIT", b.getText("/api/validated/6").headers().firstValue("X-Cache").orElseThrow(),
                "b keeps a near copy");
        clock.advance(Duration.ofSeconds(11));

        assertEquals("STALE", a.getText("/api/validated/6").headers().firstValue("X-Cache").orElseThrow());
        Eventually.until(() -> "HIT".equals(a.getText("/api/validated/6").headers().firstValue("X-Cache").orElse("")),
                DEADLINE, () -> "a's revalidation never stored");
        assertEquals(2, runs.count.get(), "the miss and a's revalidation");

        // b's near copy is still kept (header-driven entries are kept past their freshness) but stale: b must read
        // a's revalidation from Redis, neither answer stale nor revalidate a second time.
        HttpResponse<String> fromB = b.getText("/api/validated/6");
        assertEquals("HIT", fromB.headers().firstValue("X-Cache").orElseThrow(),
                "b answered from its stale near copy, past a's revalidation");
        assertEquals(miss.body(), fromB.body());
        assertEquals("2 on a", fromB.headers().firstValue("X-Run").orElseThrow(), "the headers of a's 304");
        assertEquals(2, runs.count.get(), "one revalidation for the cluster");
    }

    @Test
    void refreshWhoseHolderIsNoLongerRenewedIsTakenOverByTheNextStaleRequestElsewhere() throws Exception {
        StaleResource.Runs runs = runs(1);
        // a's lease is short and never renewed, as when a's instance died mid-refresh.
        TestServer a = jaxrs(runs, "a", "300ms", false, renewal -> { });
        TestServer b = jaxrs(runs, "b", null);
        assertEquals("MISS", a.getText("/api/stale/5").headers().firstValue("X-Cache").orElseThrow());
        clock.advance(Duration.ofSeconds(61));
        assertEquals("STALE", a.getText("/api/stale/5").headers().firstValue("X-Cache").orElseThrow());
        assertTrue(runs.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "a never refreshed");

        // b is answered stale; once a's lease has lapsed, one of b's stale answers starts b's own refresh.
        Eventually.until(() -> {
            HttpResponse<String> response = b.getText("/api/stale/5");
            return "HIT".equals(response.headers().firstValue("X-Cache").orElse(""));
        }, DEADLINE, () -> "b never took over the refresh of a dead holder");
        assertEquals("stale 5 run 3 on b", b.getText("/api/stale/5").body());
        assertEquals(3, runs.count.get(), "the miss, a's stuck refresh and b's");
    }

    @Test
    void withLeasesOffEachInstanceRefreshesItsOwn() throws Exception {
        StaleResource.Runs runs = runs(2);
        TestServer a = jaxrs(runs, "a", "0");
        TestServer b = jaxrs(runs, "b", "0");
        assertEquals("MISS", a.getText("/api/stale/3").headers().firstValue("X-Cache").orElseThrow());
        clock.advance(Duration.ofSeconds(61));
        assertEquals("STALE", a.getText("/api/stale/3").headers().firstValue("X-Cache").orElseThrow());
        assertEquals("STALE", b.getText("/api/stale/3").headers().firstValue("X-Cache").orElseThrow());
        // Both refreshes are held in the method at once: a lease taken across instances would keep one from starting.
        assertTrue(runs.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS),
                "with coalesce-lease=0 one instance waited for the other's refresh");
        assertEquals(Set.of(), redis.keys(prefix + "lease:"), "no lease was asked for");
    }

    @Test
    void holderStillRunningKeepsItsRenewedLeaseAndTheWaiterDoesNotTakeItOver() throws Exception {
        GatedResource.Gate gate = new GatedResource.Gate(1);
        openGates.add(gate.open::countDown);
        AtomicReference<Runnable> renewal = new AtomicReference<>();
        TestServer a = gated(gate, "a", renewal::set);
        TestServer b = gated(gate, "b", null);
        untilSubscribed(2);
        RedisCommandStats.reset(redis);

        CompletableFuture<HttpResponse<String>> holder = get(a, "/api/cold/8");
        assertTrue(gate.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the first request never ran");
        CompletableFuture<HttpResponse<String>> waiter = get(b, "/api/cold/8");
        Eventually.until(() -> calls("pttl") >= 1, DEADLINE, () -> "b never found the lease held");
        Set<String> leases = redis.keys(prefix + "lease:");
        assertEquals(1, leases.size(), leases.toString());
        String lease = leases.iterator().next();
        String token = redis.client().get(lease);

        // As if most of the lease had gone by while the method still runs: the holder's next renewal restores it.
        redis.client().pexpire(lease, 20_000);
        assertTrue(redis.client().pttl(lease) <= 20_000);
        Eventually.until(() -> renewal.get() != null, DEADLINE, () -> "the holder never started renewing");
        renewal.get().run();
        long renewed = redis.client().pttl(lease);
        assertTrue(renewed > 20_000, "the renewal extended the holder's lease: PTTL " + renewed);
        assertEquals(token, redis.client().get(lease), "still the holder's own lease");

        assertFalse(waiter.isDone(), "b waits for the holder and has not taken the lease over");
        assertEquals(1, gate.runs.get());
        gate.open.countDown();
        assertEquals("cold 8 run 1 on a", holder.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).body());
        HttpResponse<String> response = waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals("cold 8 run 1 on a", response.body());
        assertEquals("HIT", response.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(1, gate.runs.get(), "the method ran once, however long it held the lease");
    }

    @Test
    void leaseIsExtendedOnlyByItsHolder() throws Exception {
        try (RedisStore store = store()) {
            RedisLeases leases = (RedisLeases) store.keyLeases();
            String leaseKey = leases.leaseKey("GET /cold/9");
            try (var holder = leases.contend("GET /cold/9")) {
                assertEquals(0L, holder.tryTake("holder", Duration.ofSeconds(60)));
            }
            redis.client().pexpire(leaseKey, 20_000);
            assertFalse(leases.extend("GET /cold/9", "someone else", Duration.ofSeconds(60)));
            assertTrue(redis.client().pttl(leaseKey) <= 20_000, "another's lease is left as it is");
            assertTrue(leases.extend("GET /cold/9", "holder", Duration.ofSeconds(60)));
            assertTrue(redis.client().pttl(leaseKey) > 20_000);
            assertEquals("holder", redis.client().get(leaseKey));
            leases.release("GET /cold/9", "holder");
            assertFalse(leases.extend("GET /cold/9", "holder", Duration.ofSeconds(60)), "released: nothing to extend");
            assertFalse(redis.client().exists(leaseKey), "extending never recreates a lease");
        }
    }

    private StaleResource.Runs runs(int heldRefreshes) {
        StaleResource.Runs runs = new StaleResource.Runs(heldRefreshes);
        openGates.add(runs.open::countDown);
        return runs;
    }

    /** Jersey with the library's initializer (so refreshes run after the stale answer), on the shared clock. */
    private TestServer jaxrs(StaleResource.Runs runs, String name, String lease) {
        return jaxrs(runs, name, lease, false);
    }

    private TestServer jaxrs(StaleResource.Runs runs, String name, String lease, boolean nearTier) {
        return jaxrs(runs, name, lease, nearTier, null);
    }

    private TestServer jaxrs(StaleResource.Runs runs, String name, String lease, boolean nearTier,
                             Consumer<Runnable> renewals) {
        ResourceConfig app = common(new ResourceConfig().register(new StaleResource(runs, name))
                .register(ResponseCacheFeature.class).property(ResponseCacheProperties.CLOCK, clock));
        if (nearTier) {
            app.property(ResponseCacheProperties.NEAR_CACHE_MAX_ENTRIES, "100");
        }
        if (renewals != null) {
            app.property(ClusterCoalescingIT.RENEWALS, renewals);
        }
        if (lease != null) {
            app.property(ResponseCacheProperties.COALESCE_LEASE, lease);
        }
        TestServer server = TestServer.jersey(app);
        server.context().addServletContainerInitializer(new ResponseCacheInitializer());
        server.start();
        instances.add(server);
        return server;
    }

    private TestServer gated(GatedResource.Gate gate, String name, Consumer<Runnable> renewals) {
        ResourceConfig app = common(new ResourceConfig().register(new GatedResource(gate, name))
                .register(ResponseCacheFeature.class));
        if (renewals != null) {
            app.property(ClusterCoalescingIT.RENEWALS, renewals);
        }
        TestServer server = TestServer.jersey(app).start();
        instances.add(server);
        return server;
    }

    private ResourceConfig common(ResourceConfig app) {
        return app.property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, redis.uri())
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.COALESCE_WAIT, LONG_WAIT)
                .property(ResponseCacheProperties.REDIS_SLOW_CALL, PATIENT)
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, PATIENT);
    }

    /** The servlet filter caching a servlet within stale-while-revalidate, with the same settings. */
    private TestServer filtered(StaleResource.Runs runs, String name) {
        TestServer server = FilteredRedisInstance.start(redis.uri(), prefix, "stale", name, runs::pass,
                Map.of(ResponseCacheProperties.CLOCK, clock), Map.of("ttl", "60", "staleWhileRevalidate", "600"));
        instances.add(server);
        return server;
    }

    private RedisStore store() {
        return RedisConnections.open(RedisSettings.from(new dev.responsecache.spi.PropertyValues(Map.of(
                        ResponseCacheProperties.REDIS_URI, redis.uri(),
                        ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)::get)),
                java.time.Clock.systemUTC(), System::nanoTime);
    }

    private CompletableFuture<HttpResponse<String>> get(TestServer server, String path) {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(120)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private void untilSubscribed(long subscribers) {
        RedisCommandStats.untilSubscribed(redis, prefix + "leases", subscribers);
    }

    /** Calls of {@code command} since the last RESETSTAT, including those made from scripts. */
    private static long calls(String command) {
        return RedisCommandStats.calls(redis, command);
    }
}
