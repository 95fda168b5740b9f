package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.jaxrs.ResponseCacheFeature;
import dev.responsecache.testing.Eventually;
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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several instances of an application on one Redis run a cold key's method once for the whole cluster: one instance
 * takes the key's lease, the others wait for its entry; a holder that never finishes loses its lease to one waiter;
 * with Redis down every instance runs the method and answers.
 */
class ClusterCoalescingIT {

    /** Far beyond any wait of these tests: a waiter never gives up because the machine is slow. */
    private static final String LONG_WAIT = "120s";
    /**
     * A loaded machine can make Redis calls take longer than the default 50 ms slow-call threshold; the breaker would
     * then judge Redis unhealthy, and each instance would rightly run the method. These tests are about leases, so
     * only a Redis that does not answer at all counts against it here.
     */
    private static final String PATIENT = "30s";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The engine's test hook that is handed the lease renewal task in place of its scheduler. */
    static final String RENEWALS = "dev.responsecache.core.lease-renewals";
    /** A holder whose leases are never renewed: one whose instance has died. */
    private static final Consumer<Runnable> NEVER_RENEWED = renewal -> { };

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = RedisApps.uniquePrefix();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<TestServer> instances = new ArrayList<>();
    private final List<GatedResource.Gate> gates = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        gates.forEach(gate -> gate.open.countDown());
        instances.forEach(TestServer::close);
    }

    @Test
    void coldKeyRequestedOnThreeInstancesAtOnceRunsTheMethodOnce() throws Exception {
        GatedResource.Gate gate = gate(1);
        TestServer a = instance(gate, "a", redis.uri(), null);
        TestServer b = instance(gate, "b", redis.uri(), null);
        TestServer c = instance(gate, "c", redis.uri(), null);
        untilSubscribed(3);
        RedisCommandStats.reset(redis);

        CompletableFuture<HttpResponse<String>> holder = get(a, "/api/cold/1");
        assertTrue(gate.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the first request never ran");
        List<CompletableFuture<HttpResponse<String>>> waiters = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiters.add(get(b, "/api/cold/1"));
            waiters.add(get(c, "/api/cold/1"));
        }
        // a holds the lease; b and c have asked for it (their other requests wait in their own instance) and wait
        // for a, whose method still runs alone.
        Eventually.until(() -> calls("eval") >= 3, DEADLINE, () -> "b and c never asked for the lease");
        gate.open.countDown();

        HttpResponse<String> first = holder.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals("cold 1 run 1 on a", first.body());
        for (CompletableFuture<HttpResponse<String>> waiter : waiters) {
            HttpResponse<String> response = waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("cold 1 run 1 on a", response.body());
            assertEquals("HIT", response.headers().firstValue("X-Cache").orElseThrow());
        }
        assertEquals(1, gate.runs.get(), "the method ran once for the three instances");
        assertEquals(Set.of(), redis.keys(prefix + "lease:"), "the lease was released");
    }

    @Test
    void servletFilterInstancesRunAColdKeyOnce() throws Exception {
        GatedResource.Gate gate = gate(1);
        TestServer a = filtered(gate, "a");
        TestServer b = filtered(gate, "b");
        untilSubscribed(2);
        RedisCommandStats.reset(redis);

        CompletableFuture<HttpResponse<String>> holder = get(a, "/cold/6");
        assertTrue(gate.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the first request never ran");
        List<CompletableFuture<HttpResponse<String>>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(get(b, "/cold/6"));
        }
        Eventually.until(() -> calls("eval") >= 2, DEADLINE, () -> "b never asked for the lease");
        gate.open.countDown();
        assertEquals("cold /cold/6 run 1 on a", holder.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).body());
        for (CompletableFuture<HttpResponse<String>> waiter : waiters) {
            HttpResponse<String> response = waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            assertEquals("cold /cold/6 run 1 on a", response.body());
        }
        assertEquals(1, gate.runs.get(), "the method ran once for both instances");
    }

    @Test
    void holderWhoseLeaseIsNoLongerRenewedLosesItToExactlyOneWaiter() throws Exception {
        GatedResource.Gate gate = gate(1);
        // The holder's lease is short and never renewed, as when its instance has died while its method hung; the
        // others' is long, so that the one that takes over keeps it however slow the machine is.
        TestServer a = instance(gate, "a", redis.uri(), "300ms", NEVER_RENEWED);
        TestServer b = instance(gate, "b", redis.uri(), null);
        TestServer c = instance(gate, "c", redis.uri(), null);
        untilSubscribed(3);

        CompletableFuture<HttpResponse<String>> holder = get(a, "/api/cold/2");
        assertTrue(gate.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the first request never ran");
        List<CompletableFuture<HttpResponse<String>>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(get(b, "/api/cold/2"));
            waiters.add(get(c, "/api/cold/2"));
        }
        Set<String> bodies = new java.util.HashSet<>();
        for (CompletableFuture<HttpResponse<String>> waiter : waiters) {
            HttpResponse<String> response = waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(200, response.statusCode());
            bodies.add(response.body());
        }
        assertEquals(1, bodies.size(), "every waiter got the takeover's response: " + bodies);
        String takeover = bodies.iterator().next();
        assertTrue(takeover.startsWith("cold 2 run 2 on "), takeover);
        assertNotEquals("cold 2 run 2 on a", takeover);
        assertEquals(2, gate.runs.get(), "the stuck holder's run and one takeover, for ten waiting requests");
        assertEquals(takeover, a.getText("/api/cold/2").body(), "the stuck holder's instance reads it too");

        gate.open.countDown();
        assertEquals("cold 2 run 1 on a", holder.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).body());
    }

    @Test
    void responseThatIsNotStoredReleasesTheOtherInstancesAtOnce() throws Exception {
        GatedResource.Gate gate = gate(1);
        // Far longer than this test may take: only the release can end b's wait in time.
        TestServer a = instance(gate, "a", redis.uri(), "110s");
        TestServer b = instance(gate, "b", redis.uri(), null);
        untilSubscribed(2);
        RedisCommandStats.reset(redis);

        CompletableFuture<HttpResponse<String>> holder = get(a, "/api/unstorable/7");
        assertTrue(gate.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the first request never ran");
        CompletableFuture<HttpResponse<String>> waiter = get(b, "/api/unstorable/7");
        Eventually.until(() -> calls("eval") >= 2, DEADLINE, () -> "b never asked for the lease");
        gate.open.countDown();

        assertEquals("unstorable 7 run 1 on a", holder.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).body());
        HttpResponse<String> response = waiter.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals("unstorable 7 run 2 on b", response.body(), "b ran the method itself once a released the key");
    }

    @Test
    void leaseIsReleasedOnlyByItsHolder() throws Exception {
        try (RedisStore first = store(); RedisStore second = store()) {
            RedisLeases firstLeases = (RedisLeases) first.keyLeases();
            RedisLeases secondLeases = (RedisLeases) second.keyLeases();
            // The subscriptions that hear releases start with the stores, as the cache starts them.
            first.started();
            second.started();
            Eventually.until(() -> firstLeases.live() && secondLeases.live(), DEADLINE, () -> "never subscribed");
            String leaseKey = firstLeases.leaseKey("GET /cold/3");

            try (var slow = firstLeases.contend("GET /cold/3")) {
                assertEquals(0L, slow.tryTake("slow-holder", Duration.ofMillis(50)));
            }
            Eventually.until(() -> !redis.client().exists(leaseKey), DEADLINE, () -> "the lease never expired");
            try (var next = secondLeases.contend("GET /cold/3");
                 var waiter = firstLeases.contend("GET /cold/3")) {
                assertEquals(0L, next.tryTake("next-holder", Duration.ofSeconds(60)));
                long left = waiter.tryTake("waiter", Duration.ofSeconds(60));
                assertTrue(left > 0 && left <= 60_000, "held, with its time left: " + left);

                firstLeases.release("GET /cold/3", "slow-holder");
                assertEquals("next-holder", redis.client().get(leaseKey), "a former holder released another's lease");

                secondLeases.release("GET /cold/3", "next-holder");
                assertTrue(waiter.awaitRelease(DEADLINE.toNanos()), "the release was announced to the waiter");
                assertEquals(false, redis.client().exists(leaseKey));
            }
        }
    }

    @Test
    void withRedisDownEveryInstanceRunsTheMethodAndAnswers() throws Exception {
        try (RedisTestServer down = RedisTestServer.notStarted()) {
            // Each instance's run waits until both have started theirs: a lease held across instances would
            // keep the second from ever starting, and this test from passing.
            GatedResource.Gate gate = gate(2);
            TestServer a = instance(gate, "a", down.uri(), null);
            TestServer b = instance(gate, "b", down.uri(), null);
            CompletableFuture<HttpResponse<String>> fromA = get(a, "/api/cold/4");
            CompletableFuture<HttpResponse<String>> fromB = get(b, "/api/cold/4");
            assertTrue(gate.entered.await(DEADLINE.toSeconds(), TimeUnit.SECONDS),
                    "with Redis down, an instance waited for another instead of running the method");
            gate.open.countDown();
            assertEquals(200, fromA.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).statusCode());
            assertEquals(200, fromB.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).statusCode());
            assertEquals(2, gate.runs.get());
        }
    }

    @Test
    void hitIssuesNoLeaseCommand() throws Exception {
        GatedResource.Gate gate = gate(0);
        TestServer a = instance(gate, "a", redis.uri(), null);
        TestServer b = instance(gate, "b", redis.uri(), null);
        RedisCommandStats.reset(redis);
        assertEquals("MISS", a.getText("/api/cold/5").headers().firstValue("X-Cache").orElseThrow());
        Map<String, Long> afterMiss = RedisCommandStats.readsAndWrites(redis);
        assertEquals(7L, afterMiss.get("eval"), "the miss took and released the lease, read the entry's node's clock,"
                + " stored the entry within its window and ran 3 tag scripts (path, URL, all)");
        for (int i = 0; i < 5; i++) {
            assertEquals("HIT", b.getText("/api/cold/5").headers().firstValue("X-Cache").orElseThrow());
            assertEquals("HIT", a.getText("/api/cold/5").headers().firstValue("X-Cache").orElseThrow());
        }
        Map<String, Long> afterHits = new TreeMap<>(afterMiss);
        afterHits.put("get", afterMiss.get("get") + 10);
        assertEquals(afterHits, RedisCommandStats.readsAndWrites(redis), "a hit is one GET and nothing else");
        assertEquals(1, gate.runs.get());
    }

    private GatedResource.Gate gate(int waitingRuns) {
        GatedResource.Gate gate = new GatedResource.Gate(waitingRuns);
        gates.add(gate);
        return gate;
    }

    private TestServer instance(GatedResource.Gate gate, String name, String uri, String lease) {
        return instance(gate, name, uri, lease, null);
    }

    private TestServer instance(GatedResource.Gate gate, String name, String uri, String lease,
                                Consumer<Runnable> renewals) {
        ResourceConfig app = new ResourceConfig()
                .register(new GatedResource(gate, name))
                .register(ResponseCacheFeature.class)
                .property(ResponseCacheProperties.STORE, "redis")
                .property(ResponseCacheProperties.REDIS_URI, uri)
                .property(ResponseCacheProperties.REDIS_KEY_PREFIX, prefix)
                .property(ResponseCacheProperties.COALESCE_WAIT, LONG_WAIT)
                .property(ResponseCacheProperties.REDIS_SLOW_CALL, PATIENT)
                .property(ResponseCacheProperties.REDIS_READ_TIMEOUT, PATIENT);
        if (lease != null) {
            app.property(ResponseCacheProperties.COALESCE_LEASE, lease);
        }
        if (renewals != null) {
            app.property(RENEWALS, renewals);
        }
        TestServer server = TestServer.jersey(app).start();
        instances.add(server);
        return server;
    }

    /** The servlet filter caching a servlet, with the same Redis settings as context-params. */
    private TestServer filtered(GatedResource.Gate gate, String name) {
        TestServer server = FilteredRedisInstance.start(redis.uri(), prefix, "cold", name, gate::pass, Map.of(),
                Map.of("ttl", "60"));
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

    /** Every instance hears lease releases before the test begins (else it would wait a backoff at a time). */
    private void untilSubscribed(long subscribers) {
        RedisCommandStats.untilSubscribed(redis, prefix + "leases", subscribers);
    }

    private static long calls(String command) {
        return RedisCommandStats.calls(redis, command);
    }
}
