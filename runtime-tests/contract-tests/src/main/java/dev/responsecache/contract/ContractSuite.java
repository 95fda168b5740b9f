package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.core.SharedCache;
import dev.responsecache.servlet.ResponseCacheListener;
import dev.responsecache.servlet.ServletScope;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a user relies on, whatever JAX-RS runtime and servlet container run the application. Each runtime module
 * extends this class with its container and runtime; nothing here names either.
 */
public abstract class ContractSuite {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final List<AutoCloseable> started = new ArrayList<>();

    protected abstract Container container();

    protected abstract JaxrsRuntime runtime();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    private Container.Deployed deploy(WebApp app) throws Exception {
        Container.Deployed deployed = container().deploy(app, runtime());
        started.add(deployed);
        return deployed;
    }

    private HttpResponse<String> get(Container.Deployed app, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT);
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> head(Container.Deployed app, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cache(HttpResponse<?> response) {
        return cache(response, "X-Cache");
    }

    private static String cache(HttpResponse<?> response, String header) {
        return response.headers().firstValue(header).orElse("none");
    }

    private static int calls(Container.Deployed app) {
        return Counters.counter(app.servletContext(), Counters.CALLS).get();
    }

    private static int entered(Container.Deployed app) {
        return Counters.counter(app.servletContext(), Counters.ENTERED).get();
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void hitReplaysStatusHeadersAndBodyWithoutRunningTheMethod(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        HttpResponse<String> miss = get(app, adapter.path("/items/1"));
        HttpResponse<String> hit = get(app, adapter.path("/items/1"));

        assertEquals("MISS", cache(miss));
        assertEquals("HIT", cache(hit));
        assertEquals(203, hit.statusCode());
        assertEquals(miss.body(), hit.body());
        assertEquals("1", hit.headers().firstValue("X-Item").orElseThrow());
        assertEquals(List.of("one", "two"), hit.headers().allValues("X-Multi").stream()
                .flatMap(value -> List.of(value.split(",\\s*")).stream()).toList());
        assertTrue(hit.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals(1, calls(app));
        assertEquals("MISS", cache(get(app, adapter.path("/items/2"))), "another path is another key");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void varyByHeaderKeepsOneEntryPerValue(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        HttpResponse<String> english = get(app, adapter.path("/language"), "Accept-Language", "en");
        HttpResponse<String> french = get(app, adapter.path("/language"), "Accept-Language", "fr");
        assertEquals("en 1", english.body());
        assertEquals("fr 2", french.body());
        assertEquals("en 1", get(app, adapter.path("/language"), "Accept-Language", "en").body());
        assertEquals("fr 2", get(app, adapter.path("/language"), "Accept-Language", "fr").body());
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void responseVaryHeaderIsHonoured(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        assertEquals("vanilla 1", get(app, adapter.path("/vary-response"), "X-Flavour", "vanilla").body());
        assertEquals("mint 2", get(app, adapter.path("/vary-response"), "X-Flavour", "mint").body());
        assertTrue(get(app, adapter.path("/vary-response"), "X-Flavour", "vanilla").body()
                .startsWith("vanilla"));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void requestWithCredentialsIsNeverAnsweredFromTheCache(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        get(app, adapter.path("/items/9"));
        HttpResponse<String> withCredentials = get(app, adapter.path("/items/9"),
                "Authorization", "Bearer someone-else");
        assertNotEquals("HIT", cache(withCredentials));
        assertEquals(2, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void responseThatSetsACookieIsNeverStored(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        get(app, adapter.path("/cookie"));
        HttpResponse<String> again = get(app, adapter.path("/cookie"));
        assertEquals("cookie 2", again.body());
        assertNotEquals("HIT", cache(again));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void headIsAnsweredFromTheGetEntry(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        get(app, adapter.path("/items/3"));
        HttpResponse<String> head = head(app, adapter.path("/items/3"));
        assertEquals("HIT", cache(head));
        assertEquals("", head.body());
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void matchingIfNoneMatchIsAnswered304(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        get(app, adapter.path("/items/4"));
        // The entry carries an ETag derived from the body when the method gave none; the hit shows it.
        String etag = get(app, adapter.path("/items/4")).headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> notModified = get(app, adapter.path("/items/4"), "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.body());
        assertEquals(1, calls(app));
    }

    @Test
    void concurrentMissesOnOneKeyRunTheMethodOnce() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class));
        // The method holds the first request until the second has entered the runtime; the second then waits for
        // the first's entry (or finds it stored): either way the method runs once.
        CompletableFuture<HttpResponse<String>> first = client.sendAsync(
                HttpRequest.newBuilder(app.base().resolve("/api/gated")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        awaitUntil(() -> calls(app) >= 1, TIMEOUT, () -> "the first request never reached the method");
        HttpResponse<String> second = get(app, "/api/gated");
        assertEquals("gated 1", first.get().body());
        assertEquals("gated 1", second.body());
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void bodyLargerThanTheLimitStreamsThroughAndIsNotStored(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app().contextParam(ResponseCacheProperties.MAX_BODY_SIZE, "1KB"));
        assertEquals(4096, get(app, adapter.path("/large")).body().length());
        assertEquals("MISS", cache(get(app, adapter.path("/large"))));
        assertEquals(2, calls(app));
        get(app, adapter.path("/items/12"));
        assertEquals("HIT", cache(get(app, adapter.path("/items/12"))), "small bodies are still stored");
    }

    @Test
    void headerAnApplicationResponseFilterAddsIsSentOnceOnAHit() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(FilteredApplication.class));
        HttpResponse<String> miss = get(app, "/api/items/6");
        HttpResponse<String> hit = get(app, "/api/items/6");
        assertEquals("HIT", cache(hit));
        assertEquals(List.of("*"), miss.headers().allValues("Access-Control-Allow-Origin"));
        assertEquals(List.of("*"), hit.headers().allValues("Access-Control-Allow-Origin"), "once, not twice");
        assertEquals(miss.body(), hit.body());
    }

    @Test
    void applicationPropertiesConfigureTheCache() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(PropertiesApplication.class));
        get(app, "/api/items/5");
        assertEquals("HIT", cache(get(app, "/api/items/5"), "X-App-Cache"));
        // responsecache.max-body-size=1KB: a 4 KB body is never stored.
        get(app, "/api/large");
        assertEquals("MISS", cache(get(app, "/api/large"), "X-App-Cache"));
    }

    @Test
    void contextParamsConfigureTheFeature() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class)
                .contextParam(ResponseCacheProperties.STATUS_HEADER, "X-Context-Cache"));
        get(app, "/api/items/6");
        assertEquals("HIT", cache(get(app, "/api/items/6"), "X-Context-Cache"));
    }

    @Test
    void systemPropertiesConfigureTheFeature() throws Exception {
        String previous = System.setProperty(ResponseCacheProperties.STATUS_HEADER, "X-System-Cache");
        Container.Deployed app;
        try {
            app = deploy(new WebApp().jaxrs(ContractApplication.class));
        } finally {
            if (previous == null) {
                System.clearProperty(ResponseCacheProperties.STATUS_HEADER);
            } else {
                System.setProperty(ResponseCacheProperties.STATUS_HEADER, previous);
            }
        }
        get(app, "/api/items/7");
        assertEquals("HIT", cache(get(app, "/api/items/7"), "X-System-Cache"));
    }

    @Test
    void featureAndFilterShareOneCacheWithTheSettingsEachGives() throws Exception {
        // The filter starts first, with no settings; the application adds its own: combined, not a conflict.
        Container.Deployed app = deploy(new WebApp().jaxrs(PropertiesApplication.class)
                .cacheFilter("reports", "/reports/*", "ttl", "60"));
        ServletScope scope = new ServletScope(app.servletContext());
        assertEquals(2, SharedCache.members(scope), "the filter and the feature use one cache");
        get(app, "/reports/a");
        HttpResponse<String> report = get(app, "/reports/a");
        assertEquals("HIT", cache(report, "X-App-Cache"), "the filter uses the application's status header");
        get(app, "/api/items/8");
        assertEquals("HIT", cache(get(app, "/api/items/8"), "X-App-Cache"));
    }

    @Test
    void twoDifferentValuesForOneSettingFailTheStart() {
        Exception failure = assertThrows(Exception.class, () -> deploy(new WebApp().jaxrs(PropertiesApplication.class)
                .contextParam(ResponseCacheProperties.STATUS_HEADER, "X-Other")
                .cacheFilter("reports", "/reports/*", "ttl", "60")));
        String messages = messages(failure);
        assertTrue(messages.contains("responsecache.status-header is 'X-App-Cache' here"), messages);
        assertTrue(messages.contains("'X-Other'"), messages);
    }

    @Test
    void earlyHitsAreAnsweredBeforeTheRuntime() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class)
                .cacheFilter("early", "/api/*", "earlyJaxrsHits", "true"));
        HttpResponse<String> miss = get(app, "/api/items/10");
        HttpResponse<String> hit = get(app, "/api/items/10");
        assertEquals("MISS", cache(miss));
        assertEquals("HIT", cache(hit));
        assertEquals(miss.body(), hit.body());
        assertEquals(1, entered(app), "the hit never entered the JAX-RS runtime");
    }

    /** How the listener that closes the cache gets into the application. */
    enum Lifecycle {
        /** The container runs the library's initializer, as a deployed WAR's container does. */
        SCANNED,
        /** An embedded server that does not scan, with the listener declared, as the README says. */
        DECLARED
    }

    @ParameterizedTest
    @EnumSource(Lifecycle.class)
    void stoppingTheApplicationClosesTheRedisStoreAndItsConnections(Lifecycle lifecycle) throws Exception {
        WebApp webApp = lifecycle == Lifecycle.SCANNED ? new WebApp()
                : new WebApp().scansInitializers(false).listener(ResponseCacheListener.class);
        try (RedisProcess redis = RedisProcess.started()) {
            int baseline = redis.clients();
            Container.Deployed app = container().deploy(webApp.jaxrs(ContractApplication.class)
                    .cacheFilter("reports", "/reports/*", "ttl", "60")
                    .contextParam(ResponseCacheProperties.STORE, "redis")
                    .contextParam(ResponseCacheProperties.REDIS_URI, redis.uri())
                    .contextParam(ResponseCacheProperties.REDIS_KEY_PREFIX, "contract:"), runtime());
            ServletScope scope = new ServletScope(app.servletContext());
            try {
                get(app, "/api/items/11");
                assertEquals("HIT", cache(get(app, "/api/items/11")));
                get(app, "/reports/b");
                assertEquals("HIT", cache(get(app, "/reports/b")));
                assertTrue(redis.clients() > baseline, "the store holds connections while the application runs");
            } finally {
                app.close();
            }
            assertNull(scope.attribute(SharedCache.ATTRIBUTE), "the application's cache is closed");
            // Closing the pool closes its sockets at once; the deadline only gives Redis time to notice. It must
            // stay well below the pool's idle-eviction interval (30 s from the pool's start), which would otherwise
            // close a leaked connection too and hide the leak.
            awaitUntil(() -> redis.clients() == baseline, CLOSE_DEADLINE, () -> (redis.clients() - baseline)
                    + " Redis connection(s) left open after the application stopped");
        }
    }

    /** The {@code /stale/*} endpoints with ttl 60 s, staleWhileRevalidate 30 s and staleIfError 600 s. */
    private static WebApp staleApp(Adapter adapter, StaleBehaviour behaviour) {
        WebApp app = adapter == Adapter.JAXRS ? adapter.app() : new WebApp().cacheFilter("reports", "/reports/*",
                "ttl", "60", "staleWhileRevalidate", "30", "staleIfError", "600");
        return app.attribute(StaleBehaviour.ATTRIBUTE, behaviour)
                .attribute(ResponseCacheProperties.CLOCK, behaviour.clock)
                // Far longer than any refresh here: a slow machine never makes a refresh look abandoned.
                .contextParam(ResponseCacheProperties.COALESCE_WAIT, "300s");
    }

    private boolean answeredAs(Container.Deployed app, String path, String xCache) {
        try {
            return xCache.equals(cache(get(app, path)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void expiredEntryWithinStaleWhileRevalidateIsAnsweredInFullWhileOneRefreshRuns(Adapter adapter)
            throws Exception {
        StaleBehaviour behaviour = new StaleBehaviour();
        Container.Deployed app = deploy(staleApp(adapter, behaviour));
        String path = adapter.path("/stale/1");
        HttpResponse<String> miss = get(app, path);
        assertEquals("stale 1 call 1", miss.body());
        behaviour.clock.advance(Duration.ofSeconds(70));
        CountDownLatch gate = new CountDownLatch(1);
        behaviour.gate = gate;
        try {
            // The client has the whole stale answer while the refresh is still held in the method.
            HttpResponse<String> stale = get(app, path);
            assertEquals(200, stale.statusCode());
            assertEquals(miss.body(), stale.body());
            assertEquals("STALE", cache(stale));
            assertEquals("70", stale.headers().firstValue("Age").orElseThrow());
            assertEquals("ResponseCache; fwd=stale; ttl=-10; detail=revalidating", cache(stale, "Cache-Status"));
            assertTrue(behaviour.entered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the refresh runs");
            // Another client, as a browser's next tab would be: the connection of the answer that started the
            // refresh is busy with it (and told to close).
            HttpResponse<String> meanwhile = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(
                    HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("STALE", cache(meanwhile));
            assertEquals(miss.body(), meanwhile.body());
            assertEquals(2, calls(app), "one refresh, not one per stale answer");
        } finally {
            behaviour.gate = null;
            gate.countDown();
        }
        awaitUntil(() -> answeredAs(app, path, "HIT"), TIMEOUT, () -> "the refreshed entry was never stored");
        assertEquals("stale 1 call 2", get(app, path).body());
        assertEquals(2, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void failedRefreshKeepsTheStaleEntry(Adapter adapter) throws Exception {
        StaleBehaviour behaviour = new StaleBehaviour();
        Container.Deployed app = deploy(staleApp(adapter, behaviour));
        String path = adapter.path("/stale/2");
        HttpResponse<String> miss = get(app, path);
        behaviour.clock.advance(Duration.ofSeconds(70));
        behaviour.mode = StaleBehaviour.Mode.ANSWER_503;
        assertEquals(miss.body(), get(app, path).body());
        awaitUntil(() -> calls(app) >= 2, TIMEOUT, () -> "the refresh never ran");
        HttpResponse<String> stillStale = get(app, path);
        assertEquals("STALE", cache(stillStale));
        assertEquals(miss.body(), stillStale.body());
        behaviour.mode = StaleBehaviour.Mode.ANSWER;
        awaitUntil(() -> answeredAs(app, path, "HIT"), TIMEOUT, () -> "a successful refresh was never stored");
    }

    /**
     * A servlet's exception. (A JAX-RS method's exception that no mapper handles is not covered: Jersey 3.1 maps it
     * with its default mapper to a 500, which the cache replaces with the stale answer, then fails the response and
     * throws the exception to the container anyway, which answers 500.)
     */
    @ParameterizedTest
    @EnumSource(value = Adapter.class, names = "SERVLET")
    void unmappedExceptionWithinStaleIfErrorIsAnsweredWithTheStaleEntry(Adapter adapter) throws Exception {
        StaleBehaviour behaviour = new StaleBehaviour();
        Container.Deployed app = deploy(staleApp(adapter, behaviour));
        String path = adapter.path("/stale/3");
        HttpResponse<String> miss = get(app, path);
        // Past staleWhileRevalidate, within staleIfError: the method runs for the request, and throws.
        behaviour.clock.advance(Duration.ofSeconds(91));
        behaviour.mode = StaleBehaviour.Mode.THROW;
        HttpResponse<String> stale = get(app, path);
        assertEquals(200, stale.statusCode());
        assertEquals(miss.body(), stale.body());
        assertEquals("STALE", cache(stale));
        assertEquals("ResponseCache; fwd=stale; fwd-status=500; ttl=-31", cache(stale, "Cache-Status"));
        behaviour.clock.advance(Duration.ofSeconds(600));
        assertEquals(500, get(app, path).statusCode(), "past the window the error goes through");
    }

    /** Polls until {@code done}, with a deadline: no fixed sleep. */
    private static void awaitUntil(BooleanSupplier done, Duration within, Supplier<String> failure) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(failure.get());
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
            for (Throwable suppressed : t.getSuppressed()) {
                text.append(messages(suppressed));
            }
        }
        return text.toString();
    }
}
