package dev.responsecache.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheInvalidator;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.core.SharedCache;
import dev.responsecache.servlet.ResponseCacheListener;
import dev.responsecache.servlet.ServletScope;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
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

    private int send(Container.Deployed app, String method, String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Asserts a hit, so that a later miss proves an eviction rather than an entry that was never stored. */
    private void cached(Container.Deployed app, String path) throws Exception {
        get(app, path);
        assertEquals("HIT", cache(get(app, path)), path);
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
        assertTrue(cache(hit, "Cache-Status").startsWith("ResponseCache; hit"), cache(hit, "Cache-Status"));
        assertEquals(1, calls(app));
        assertEquals("MISS", cache(get(app, adapter.path("/items/2"))), "another path is another key");
    }

    /**
     * A response already carrying {@code Cache-Status} and {@code X-Cache} (an upstream cache's) kept them in place of
     * the cache's own. {@code Cache-Status} is a list, nearest the origin first (RFC 9211 2): the upstream member,
     * then exactly one of the cache's, on the miss and the hit; {@code X-Cache} is the cache's.
     */
    @ParameterizedTest
    @EnumSource(Adapter.class)
    void upstreamCacheStatusReplacedTheCachesOwn(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        HttpResponse<String> miss = get(app, adapter.path("/upstream-cached"));
        assertEquals(List.of("MISS"), miss.headers().allValues("X-Cache"));
        assertEquals(List.of("OriginCache; hit, ResponseCache; fwd=uri-miss"),
                miss.headers().allValues("Cache-Status"));
        HttpResponse<String> hit = get(app, adapter.path("/upstream-cached"));
        assertEquals(miss.body(), hit.body());
        assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"));
        List<String> status = hit.headers().allValues("Cache-Status");
        assertEquals(1, status.size(), status.toString());
        assertTrue(status.get(0).matches("OriginCache; hit, ResponseCache; hit; ttl=\\d+"), status.toString());
    }

    /**
     * A {@code Cache-Status} the method gave as a {@code Date} was read as {@code Date.toString()}, where the runtime
     * writes a {@code Date} header as an HTTP-date: every header value object is read as the runtime writes it, so
     * the hit sends each header line the miss sent, and the upstream member is the HTTP-date the runtime writes.
     */
    @Test
    void cacheStatusGivenAsADateWasReadAsDateToString() throws Exception {
        Container.Deployed app = deploy(Adapter.JAXRS.app());
        HttpResponse<String> miss = get(app, "/api/typed-headers");
        HttpResponse<String> hit = get(app, "/api/typed-headers");
        assertEquals("MISS", cache(miss));
        assertEquals("HIT", cache(hit));
        assertEquals(miss.body(), hit.body());
        String date = miss.headers().firstValue("X-Date").orElseThrow();
        assertEquals(DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(ItemsResource.TYPED_HEADERS_DATE)
                .atOffset(ZoneOffset.UTC)), date, "the runtime writes a Date as an HTTP-date");
        assertEquals(List.of(date + ", ResponseCache; fwd=uri-miss"), miss.headers().allValues("Cache-Status"));
        List<String> status = hit.headers().allValues("Cache-Status");
        assertEquals(1, status.size(), status.toString());
        assertTrue(status.get(0).matches(Pattern.quote(date) + ", ResponseCache; hit; ttl=\\d+"),
                status.toString());
        for (String name : List.of("Last-Modified", "X-Date", "X-Uri", "X-Cache-Control", "X-Entity-Tag", "X-Locale",
                "X-Media-Type", "X-Link", "X-Number")) {
            assertEquals(miss.headers().allValues(name), hit.headers().allValues(name), name);
            assertEquals(1, hit.headers().allValues(name).size(), name);
        }
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
        assertEquals("MISS", cache(get(app, adapter.path("/language"))), "no value is a value of its own");
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

    /**
     * {@code Request.selectVariant} makes the runtime vary the response by {@code Accept-Language}; RESTEasy writes
     * that {@code Vary} beside the JAX-RS response, where the cache did not see it: the German page answered a
     * French visitor from the entry, and the runtime wrote the cache's {@code Vary} over it, so that no cache
     * downstream saw it either.
     */
    @Test
    void languageRequestSelectVariantChoseWasAnsweredToAnotherLanguage() throws Exception {
        Container.Deployed app = deploy(Adapter.JAXRS.app());
        HttpResponse<String> german = get(app, "/api/selected-language", "Accept-Language", "de");
        assertEquals("hallo 1", german.body());
        assertTrue(varies(german, "Accept-Language"), german.headers().allValues("Vary").toString());
        HttpResponse<String> french = get(app, "/api/selected-language", "Accept-Language", "fr");
        assertEquals("bonjour 2", french.body(), "X-Cache: " + cache(french));
        HttpResponse<String> germanAgain = get(app, "/api/selected-language", "Accept-Language", "de");
        assertEquals("hallo 1", germanAgain.body());
        assertEquals("HIT", cache(germanAgain));
        assertTrue(varies(germanAgain, "Accept-Language"), germanAgain.headers().allValues("Vary").toString());
        HttpResponse<String> frenchAgain = get(app, "/api/selected-language", "Accept-Language", "fr");
        assertEquals("bonjour 2", frenchAgain.body());
        assertEquals("HIT", cache(frenchAgain));
    }

    /**
     * {@code Request.selectVariant} reads {@code Accept}, {@code Accept-Charset}, {@code Accept-Encoding} and
     * {@code Accept-Language} whatever the variants differ in, and the runtime refuses a value it cannot read with a
     * 400 ({@code q=2}; on RESTEasy {@code Accept: text/plain;q=.5} too, which Jersey reads): a hit, which runs no
     * method, answered the stored 200, in front of the runtime and inside it.
     */
    @Test
    void negotiationHeaderSelectVariantRefusesWasAnsweredFromTheEntry() throws Exception {
        Container.Deployed alone = deploy(new WebApp().jaxrs(ContractApplication.class)
                .contextParam(ResponseCacheProperties.ENABLED, "false"));
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class)
                .cacheFilter("early", "/api/*", "earlyJaxrsHits", "true"));
        String path = "/api/selected-text";
        assertEquals("hallo 1", get(app, path, "Accept-Language", "de").body());
        assertEquals("HIT", cache(get(app, path, "Accept-Language", "de")));
        for (List<String> odd : List.of(List.of("Accept", "text/plain;q=.5"), List.of("Accept-Charset", "utf-8;q=2"),
                List.of("Accept-Encoding", "gzip;q=2"))) {
            HttpResponse<String> own = get(alone, path, "Accept-Language", "de", odd.get(0), odd.get(1));
            HttpResponse<String> answered = get(app, path, "Accept-Language", "de", odd.get(0), odd.get(1));
            assertEquals(own.statusCode(), answered.statusCode(), odd + ", X-Cache: " + cache(answered));
            if (own.statusCode() == 200) {
                assertEquals("HIT", cache(answered), odd + " is read by the runtime");
            }
        }
    }

    private static boolean varies(HttpResponse<?> response, String name) {
        return response.headers().allValues("Vary").stream()
                .flatMap(line -> List.of(line.split(",")).stream()).anyMatch(token -> token.trim()
                        .equalsIgnoreCase(name));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void twoLanguagesAlternatingBothHitAfterTheirFirstMiss(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        String path = adapter.path("/vary-response");
        assertEquals("vanilla 1", get(app, path, "X-Flavour", "vanilla").body());
        assertEquals("mint 2", get(app, path, "X-Flavour", "mint").body());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> vanilla = get(app, path, "X-Flavour", "vanilla");
            assertEquals("vanilla 1", vanilla.body());
            assertEquals("HIT", cache(vanilla));
            HttpResponse<String> mint = get(app, path, "X-Flavour", "mint");
            assertEquals("mint 2", mint.body());
            assertEquals("HIT", cache(mint));
        }
        assertEquals(2, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void successfulDeleteEvictsEveryVaryVariantOfItsPath(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        String path = adapter.path("/vary-response");
        get(app, path, "X-Flavour", "vanilla");
        get(app, path, "X-Flavour", "mint");
        assertEquals("HIT", cache(get(app, path, "X-Flavour", "vanilla")));
        assertEquals(204, send(app, "DELETE", path, ""));
        assertEquals("MISS", cache(get(app, path, "X-Flavour", "vanilla")));
        assertEquals("MISS", cache(get(app, path, "X-Flavour", "mint")));
        assertEquals(4, calls(app));
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
        HttpResponse<String> first = get(app, adapter.path("/cookie"));
        assertEquals("ResponseCache; fwd=uri-miss; detail=set-cookie", cache(first, "Cache-Status"));
        HttpResponse<String> again = get(app, adapter.path("/cookie"));
        assertEquals("cookie 2", again.body());
        assertNotEquals("HIT", cache(again));
        assertTrue(again.headers().firstValue("Set-Cookie").orElseThrow().startsWith("session=abc"));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void headIsAnsweredFromTheGetEntry(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        HttpResponse<String> getResponse = get(app, adapter.path("/items/3"));
        HttpResponse<String> head = head(app, adapter.path("/items/3"));
        assertEquals("HIT", cache(head));
        assertEquals("", head.body());
        assertEquals(String.valueOf(getResponse.body().length()),
                head.headers().firstValue("Content-Length").orElseThrow(), "the GET's length");
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void matchingIfNoneMatchIsAnswered304(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        get(app, adapter.path("/items/4"));
        // The entry carries an ETag derived from the body when the method gave none; the hit shows it.
        String etag = get(app, adapter.path("/items/4")).headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), "a strong tag: " + etag);
        HttpResponse<String> notModified = get(app, adapter.path("/items/4"), "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.body());
        assertEquals("HIT", cache(notModified));
        assertEquals(etag, notModified.headers().firstValue("ETag").orElseThrow());
        assertEquals(304, get(app, adapter.path("/items/4"), "If-None-Match", "W/" + etag).statusCode(),
                "If-None-Match uses the weak comparison");
        HttpResponse<String> other = get(app, adapter.path("/items/4"), "If-None-Match", "\"other\"");
        assertEquals(203, other.statusCode());
        assertEquals("HIT", cache(other));
        assertEquals(1, calls(app));
    }

    /**
     * RFC 9111 4.3.2: If-Match and If-Unmodified-Since are not applicable to a cache. A hit answered them as if
     * absent; each now reaches the application (the JAX-RS method evaluating its preconditions answers 412) and its
     * response is not stored.
     */
    @ParameterizedTest
    @EnumSource(Adapter.class)
    void ifMatchAndIfUnmodifiedSinceAreLeftToTheApplication(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        cached(app, adapter.path("/items/5"));
        int calls = calls(app);
        for (String[] precondition : new String[][] {{"If-Match", "\"other\""},
                {"If-Unmodified-Since", "Thu, 01 Jan 2026 00:00:00 GMT"}}) {
            HttpResponse<String> answer = get(app, adapter.path("/items/5"), precondition);
            assertEquals("ResponseCache; fwd=bypass; detail=precondition", cache(answer, "Cache-Status"));
        }
        assertEquals(calls + 2, calls(app), "both reached the application");
        assertEquals("HIT", cache(get(app, adapter.path("/items/5"))), "and replaced no entry");
        if (adapter == Adapter.JAXRS) {
            cached(app, adapter.path("/validated"));
            HttpResponse<String> failed = get(app, adapter.path("/validated"), "If-Match", "\"v0\"");
            assertEquals(412, failed.statusCode(), "X-Cache: " + cache(failed));
        }
    }

    @Test
    void headOfAnEntryPastTheRuntimesBufferCarriesItsLength() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(PlainApplication.class));
        HttpResponse<String> getResponse = get(app, "/api/documents/x");
        assertEquals(20_000, getResponse.body().length());
        HttpResponse<String> head = head(app, "/api/documents/x");
        assertEquals("HIT", cache(head));
        assertEquals("", head.body());
        assertEquals("20000", head.headers().firstValue("Content-Length").orElse("none"), "the GET's length");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void headMissNeverLeavesABodilessEntryForGet(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        assertEquals("MISS", cache(head(app, adapter.path("/items/13"))));
        assertEquals("MISS", cache(head(app, adapter.path("/items/13"))), "a HEAD miss stores nothing");
        HttpResponse<String> get = get(app, adapter.path("/items/13"));
        assertEquals("MISS", cache(get), "a bodiless HEAD entry would have answered this GET");
        assertTrue(get.body().contains("\"id\":\"13\""), get.body());
        HttpResponse<String> again = get(app, adapter.path("/items/13"));
        assertEquals("HIT", cache(again));
        assertEquals(get.body(), again.body());
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void headerDrivenStaleEntryIsRevalidatedByTheApplicationAndA304ServesTheStoredBody(Adapter adapter)
            throws Exception {
        MovableClock clock = new MovableClock();
        Container.Deployed app = deploy(adapter.app().attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.TTL_FROM_HEADERS, "true"));
        HttpResponse<String> miss = get(app, adapter.path("/validated"));
        assertEquals("validated 1", miss.body());
        // Past its stale-while-revalidate window: revalidated before it answers.
        clock.advance(Duration.ofSeconds(91));
        HttpResponse<String> revalidated = get(app, adapter.path("/validated"));
        assertEquals(200, revalidated.statusCode());
        assertEquals("validated 1", revalidated.body(), "the stored body");
        assertEquals("REVALIDATED", cache(revalidated));
        assertEquals("2", revalidated.headers().firstValue("X-Validated").orElseThrow(), "the 304's headers");
        assertEquals("\"v1\"", revalidated.headers().firstValue("ETag").orElseThrow());
        HttpResponse<String> hit = get(app, adapter.path("/validated"));
        assertEquals("HIT", cache(hit));
        assertEquals("validated 1", hit.body());
        assertEquals(2, calls(app));
    }

    /**
     * A response the header-driven mode refused for want of a lifetime (and of a validator) showed a bare
     * {@code fwd=uri-miss}, which says it was stored.
     */
    @ParameterizedTest
    @EnumSource(Adapter.class)
    void headerDrivenRefusalWithoutALifetimeShowedNoDetail(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app().contextParam(ResponseCacheProperties.TTL_FROM_HEADERS, "true"));
        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> miss = get(app, adapter.path("/items/14"));
            assertEquals("MISS", cache(miss));
            assertEquals("ResponseCache; fwd=uri-miss; detail=no-lifetime", cache(miss, "Cache-Status"));
            assertEquals(i, calls(app));
        }
    }

    /**
     * A message body writer that sets {@code Cache-Control} in {@code writeTo} gives the response the client gets its
     * lifetime, before the body is committed: the header-driven mode judged the response on the headers before the
     * writer ran and refused it ({@code detail=no-lifetime}), though the entry holds the writer's other headers.
     */
    @Test
    void headerDrivenLifetimeSetByTheMessageBodyWriterWasNotStored() throws Exception {
        Container.Deployed app = deploy(Adapter.JAXRS.app());
        HttpResponse<String> miss = get(app, "/api/written-lifetime/feed");
        assertEquals("feed 1", miss.body());
        assertEquals("max-age=60", miss.headers().firstValue("Cache-Control").orElse("none"));
        assertEquals("ResponseCache; fwd=uri-miss", cache(miss, "Cache-Status"));
        HttpResponse<String> hit = get(app, "/api/written-lifetime/feed");
        assertEquals("HIT", cache(hit));
        assertEquals("feed 1", hit.body());
        assertEquals("max-age=60", hit.headers().firstValue("Cache-Control").orElse("none"));
        for (int i = 2; i <= 3; i++) {
            HttpResponse<String> refused = get(app, "/api/written-lifetime/none");
            assertEquals("none " + i, refused.body());
            assertEquals("ResponseCache; fwd=uri-miss; detail=no-lifetime", cache(refused, "Cache-Status"));
        }
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void headerDrivenStaleWhileRevalidateAnswersStaleAndRevalidatesInTheBackground(Adapter adapter)
            throws Exception {
        MovableClock clock = new MovableClock();
        Container.Deployed app = deploy(adapter.app().attribute(ResponseCacheProperties.CLOCK, clock)
                .contextParam(ResponseCacheProperties.TTL_FROM_HEADERS, "true"));
        String path = adapter.path("/validated");
        assertEquals("validated 1", get(app, path).body());
        clock.advance(Duration.ofSeconds(70));
        HttpResponse<String> stale = get(app, path);
        assertEquals("validated 1", stale.body());
        assertEquals("STALE", cache(stale));
        assertEquals("70", stale.headers().firstValue("Age").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; ttl=-10; detail=revalidating", cache(stale, "Cache-Status"));
        awaitUntil(() -> answeredAs(app, path, "HIT"), TIMEOUT, () -> "the revalidated entry was never stored");
        HttpResponse<String> hit = get(app, path);
        assertEquals("validated 1", hit.body(), "the 304 of the background revalidation kept the stored body");
        assertEquals("2", hit.headers().firstValue("X-Validated").orElseThrow(), "the 304's headers");
        assertEquals(2, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void entryExpiresAfterTheTtlOnTheInjectedClock(Adapter adapter) throws Exception {
        MovableClock clock = new MovableClock();
        Container.Deployed app = deploy(adapter.app().attribute(ResponseCacheProperties.CLOCK, clock));
        get(app, adapter.path("/items/14"));
        assertEquals("0", get(app, adapter.path("/items/14")).headers().firstValue("Age").orElseThrow());
        clock.advance(Duration.ofSeconds(59));
        HttpResponse<String> beforeExpiry = get(app, adapter.path("/items/14"));
        assertEquals("HIT", cache(beforeExpiry));
        assertEquals("59", beforeExpiry.headers().firstValue("Age").orElseThrow());
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> afterExpiry = get(app, adapter.path("/items/14"));
        assertEquals("MISS", cache(afterExpiry));
        assertEquals(2, calls(app));
        assertNotEquals(beforeExpiry.body(), afterExpiry.body());
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void privateNoStoreServerErrorAndUncachedStatusesAreNeverStored(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        Map<String, String> reasons = Map.of("/private", "private", "/no-store", "no-store",
                "/server-error", "status", "/accepted", "status");
        for (String path : List.of("/private", "/no-store", "/server-error", "/accepted")) {
            HttpResponse<String> first = get(app, adapter.path(path));
            HttpResponse<String> second = get(app, adapter.path(path));
            assertEquals("ResponseCache; fwd=uri-miss; detail=" + reasons.get(path), cache(first, "Cache-Status"),
                    "says why " + path + " is not stored");
            assertEquals("MISS", cache(second), path);
            assertEquals(first.statusCode(), second.statusCode(), path);
            assertNotEquals(first.body(), second.body(), "the method ran again for " + path);
        }
        assertEquals(8, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void anEventStreamIsNeverStored(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        HttpResponse<String> first = get(app, adapter.path("/event-stream"), "Accept", "text/event-stream");
        HttpResponse<String> second = get(app, adapter.path("/event-stream"), "Accept", "text/event-stream");
        assertTrue(first.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        assertEquals("ResponseCache; fwd=uri-miss; detail=stream", cache(first, "Cache-Status"));
        assertEquals("MISS", cache(second));
        assertEquals("data: events 1", first.body().strip());
        assertEquals("data: events 2", second.body().strip(), "each subscriber gets its own events");
    }

    /**
     * A body whose first write holds no byte (RESTEasy writes an empty {@code String} entity so; a
     * {@code StreamingOutput} or a servlet may too) failed as the cache copied it: every such response was a 500.
     */
    @ParameterizedTest
    @EnumSource(Adapter.class)
    void firstWriteOfNothingWasA500(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        for (String path : List.of("/nothing", "/written-after-nothing")) {
            HttpResponse<String> miss = get(app, adapter.path(path));
            assertEquals(200, miss.statusCode(), path + ": " + miss.body());
            HttpResponse<String> hit = get(app, adapter.path(path));
            assertEquals(200, hit.statusCode(), path + ": " + hit.body());
            assertEquals("HIT", cache(hit), path);
            assertEquals(miss.body(), hit.body(), path);
        }
        assertEquals("written after nothing 2", get(app, adapter.path("/written-after-nothing")).body());
        assertEquals(2, calls(app));
    }

    /**
     * A hit carries the annotations the runtime gives the method's entity, which the application's filters and
     * interceptors read ({@code Sunset} from the method's {@code @SunsetOn}): the hit had none, and lost both lines
     * (RESTEasy handed a filter {@code null}, a 500 for one that iterates them). A response the method did not
     * produce so (an exception mapper's page, which the runtime gives none of the method's) is not stored: its hit
     * would have carried the method's, and a {@code Sunset} line the page never had.
     */
    @Test
    void annotationsOfTheEntityWereMissingFromEveryHit() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(SunsetApplication.class));
        HttpResponse<String> miss = get(app, "/api/sunset/catalog");
        HttpResponse<String> hit = get(app, "/api/sunset/catalog");
        assertEquals(200, hit.statusCode(), hit.body());
        assertEquals("HIT", cache(hit));
        assertEquals(miss.body(), hit.body());
        for (String line : List.of("Sunset", "Sunset-Written")) {
            assertEquals(List.of(SunsetResource.DATE), miss.headers().allValues(line), line);
            assertEquals(List.of(SunsetResource.DATE), hit.headers().allValues(line), line);
        }

        HttpResponse<String> retired = get(app, "/api/sunset/retired");
        assertEquals(410, retired.statusCode(), retired.body());
        assertTrue(cache(retired, "Cache-Status").endsWith("detail=annotations"), cache(retired, "Cache-Status"));
        HttpResponse<String> again = get(app, "/api/sunset/retired");
        assertEquals("MISS", cache(again));
        assertEquals(List.of(), again.headers().allValues("Sunset"));
        assertEquals("retired 3", again.body());
    }

    /**
     * RESTEasy gives a page an {@code AsyncResponse} is resumed with the method's annotations, as it does a returned
     * one: hits carried none, so the page a filter of the application saw on the miss was never stored.
     */
    @Test
    void suspendedPageResumedWithTheMethodsAnnotationsNeverStoredBesideTheApplicationsFilters() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(SunsetApplication.class));
        Container.Deployed alone = deploy(new WebApp().jaxrs(SunsetApplication.class)
                .contextParam(ResponseCacheProperties.ENABLED, "false"));
        for (String path : List.of("/api/sunset/suspended", "/api/sunset/staged")) {
            HttpResponse<String> uncached = get(alone, path);
            HttpResponse<String> miss = get(app, path);
            assertEquals(uncached.statusCode(), miss.statusCode(), path + " " + miss.headers().map());
            if (uncached.statusCode() != 200) {
                // RESTEasy 7.0 answers the suspended method a 400 of its own, cache or not.
                continue;
            }
            HttpResponse<String> hit = get(app, path);
            assertEquals("HIT", cache(hit), path + ": " + cache(hit, "Cache-Status"));
            // The body carries the method's call count: the same body is the method not run again.
            assertEquals(miss.body(), hit.body(), path);
            for (String line : List.of("Sunset", "Sunset-Written")) {
                assertEquals(List.of(SunsetResource.DATE), miss.headers().allValues(line), path + " " + line);
                assertEquals(List.of(SunsetResource.DATE), hit.headers().allValues(line), path + " " + line);
            }
        }
    }

    /**
     * {@code @CacheResponse} on the implementation of a method whose route ({@code @GET}, {@code @Path}) an interface
     * declares: Jersey caches it; RESTEasy names the interface as the resource class and its method as the resource
     * method, so the implementing class is never seen, and the method is not cached there (logged once at start-up).
     * On the interface's method, it is cached on both.
     */
    @Test
    void cacheAnnotationOnTheImplementationOfAnInterfaceRouteIsNotSeenOnResteasy() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(InterfaceRouteApplication.class));
        boolean resteasy = runtime().servletClass().startsWith("org.jboss.resteasy.");
        HttpResponse<String> first = get(app, "/api/contract");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(resteasy ? "none" : "MISS", cache(first));
        HttpResponse<String> second = get(app, "/api/contract");
        assertEquals(resteasy ? "none" : "HIT", cache(second));
        assertEquals(resteasy ? "catalog 2" : "catalog 1", second.body());

        get(app, "/api/contract-cached");
        HttpResponse<String> hit = get(app, "/api/contract-cached");
        assertEquals("HIT", cache(hit));
        assertEquals("prices " + (resteasy ? 3 : 2), hit.body());
    }

    /**
     * A body writer that failed after its first bytes, answered by an application's exception mapper with a 200 page:
     * the page was stored, and answered every later request of the URL without the method running again. Nothing is
     * stored once the writer failed ({@code writer-failed}): the method's own answer was never complete.
     */
    @Test
    void writerFailingMidBodyMappedTo200WasStored() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(WriterFailureApplication.class));
        HttpResponse<String> first = get(app, "/api/writer-fails");
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().endsWith(WriterFailureApplication.MAPPED), first.body());
        HttpResponse<String> second = get(app, "/api/writer-fails");
        assertNotEquals("HIT", cache(second));
        assertEquals(2, calls(app), "the method runs again");
    }

    /**
     * An empty entity (the method returned {@code ""}) runs the application's writer interceptors, which add their
     * {@code Sunset-Written} line; its hit, replayed without an entity as a response that has none, ran none and
     * lacked the line. Where the application has interceptors or response filters of its own, it is not stored.
     */
    @Test
    void emptyEntityLostTheLineTheApplicationsInterceptorAddsOnEveryHit() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(SunsetApplication.class));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> response = get(app, "/api/sunset/nothing");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("", response.body());
            assertEquals(List.of(SunsetResource.DATE), response.headers().allValues("Sunset-Written"),
                    "X-Cache: " + cache(response));
        }
        assertEquals("ResponseCache; fwd=uri-miss; detail=empty-entity",
                cache(get(app, "/api/sunset/nothing"), "Cache-Status"));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void noContentIsReplayedWithoutBodyOrLength(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        get(app, adapter.path("/empty"));
        HttpResponse<String> hit = get(app, adapter.path("/empty"));
        assertEquals("HIT", cache(hit));
        assertEquals(204, hit.statusCode());
        assertEquals("1", hit.headers().firstValue("X-Empty").orElseThrow());
        assertEquals("", hit.body());
        assertTrue(hit.headers().firstValue("Content-Length").isEmpty(), "a 204 carries no Content-Length");
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void successfulPutEvictsEveryVariantOfItsPathAndNothingElse(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        cached(app, adapter.path("/prices/1"));
        cached(app, adapter.path("/prices/1?view=short"));
        cached(app, adapter.path("/prices/2"));
        assertEquals(204, send(app, "PUT", adapter.path("/prices/1"), "11"));
        for (String variant : List.of("/prices/1", "/prices/1?view=short")) {
            HttpResponse<String> fresh = get(app, adapter.path(variant));
            assertEquals("MISS", cache(fresh), variant);
            assertEquals("price 1 is 11", fresh.body());
        }
        assertEquals("HIT", cache(get(app, adapter.path("/prices/2"))), "another path keeps its entry");
    }

    /**
     * Other spellings of a path that the runtime or the container sends to what answers it (on JAX-RS a trailing
     * slash; everywhere a percent-encoded character; dot and, on Tomcat, empty segments to a servlet) each have a
     * key of their own: an update of the resource must evict them with its own path, or they keep answering the old
     * price until their ttl ends.
     */
    @ParameterizedTest
    @EnumSource(Adapter.class)
    void successfulPutEvictsEverySpellingOfItsPathThatReachesTheSameResource(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        List<String> spellings = List.of(adapter.path("/prices/1"), adapter.path("/prices/1/"),
                adapter.path("/prices/%31"), adapter.path("/%70rices/1"), adapter.path("/prices/%31/"),
                adapter.path("//prices/1"), adapter.path("/prices//1"), "/" + adapter.path("/prices/1"),
                adapter.path("/./prices/1"), adapter.path("/prices/x/../1"));
        List<String> routed = new ArrayList<>();
        for (String spelling : spellings) {
            HttpResponse<String> answer = raw(app, spelling);
            if (answer.statusCode() == 200 && answer.body().equals("price 1 is 10")) {
                assertEquals("HIT", cache(raw(app, spelling)), spelling);
                routed.add(spelling);
            }
        }
        // Routed alike everywhere: the path, an encoded digit; on JAX-RS a trailing slash; on the servlet filter an
        // encoded letter and dot segments; on Tomcat's servlet mapping empty segments too.
        assertTrue(routed.containsAll(List.of(adapter.path("/prices/1"), adapter.path("/prices/%31"),
                adapter == Adapter.JAXRS ? adapter.path("/prices/1/") : adapter.path("/%70rices/1"))), "" + routed);
        assertEquals(204, send(app, "PUT", adapter.path("/prices/1"), "11"));
        for (String spelling : routed) {
            HttpResponse<String> fresh = raw(app, spelling);
            assertEquals("price 1 is 11", fresh.body(), spelling + ": X-Cache " + cache(fresh));
        }
    }

    /** A GET of {@code path} exactly as written (resolving would read {@code //x} as a host). */
    private HttpResponse<String> raw(Container.Deployed app, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(app.base() + path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void failedPutEvictsNothing(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        cached(app, adapter.path("/prices/1"));
        assertEquals(400, send(app, "PUT", adapter.path("/prices/1"), " "));
        assertEquals("HIT", cache(get(app, adapter.path("/prices/1"))));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void successfulPostEvictsTheSameOriginPathOfItsLocation(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        cached(app, adapter.path("/prices/2"));
        assertEquals(303, send(app, "POST", adapter.path("/prices/2/reprice"), "21"));
        HttpResponse<String> fresh = get(app, adapter.path("/prices/2"));
        assertEquals("MISS", cache(fresh));
        assertEquals("price 2 is 21", fresh.body());
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void successfulPostEvictsThePathItsRelativeLocationSendsTheClientTo(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        cached(app, adapter.path("/prices/4"));
        URI post = app.base().resolve(adapter.path("/prices/4/relocate"));
        HttpResponse<Void> moved = client.send(HttpRequest.newBuilder(post).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString("41")).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(303, moved.statusCode());
        // Set as relative text. The servlet's is resolved by the client against the request, to the product. Jersey
        // resolves the JAX-RS one against the application's base URI (the product); RESTEasy sends it as it is, and
        // the client resolves it against the request. The cache evicts both.
        URI target = post.resolve(moved.headers().firstValue("Location").orElseThrow());
        String product = app.base().resolve(adapter.path("/prices/4")).getRawPath();
        assertTrue(target.getRawPath().equals(product) || adapter == Adapter.JAXRS
                && target.getRawPath().equals(post.resolve("prices/4").getRawPath()), target.toString());
        HttpResponse<String> fresh = get(app, adapter.path("/prices/4"));
        assertEquals("MISS", cache(fresh));
        assertEquals("price 4 is 41", fresh.body());
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void responseThatCreatesASessionIsNeverStoredSoNoVisitorGetsAnotherOnesToken(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        HttpResponse<String> first = get(app, adapter.path("/session/token"));
        HttpResponse<String> second = get(app, adapter.path("/session/token"));
        assertTrue(first.headers().firstValue("Set-Cookie").orElseThrow().startsWith("JSESSIONID="));
        assertEquals("MISS", cache(second));
        assertTrue(second.headers().firstValue("Set-Cookie").isPresent(), "the second visitor gets its own session");
        assertNotEquals(first.body(), second.body());
        assertTrue(cache(first, "Cache-Status").endsWith("; detail=session"), "says why it is not stored");
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void pagePersonalisedFromASessionIsNotServedToAnAnonymousVisitor(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app());
        String cookie = get(app, adapter.path("/session/login")).headers().firstValue("Set-Cookie").orElseThrow()
                .split(";")[0];
        HttpResponse<String> member = get(app, adapter.path("/session/greeting"), "Cookie", cookie);
        assertEquals("hello alice", member.body());
        assertTrue(cache(member, "Cache-Status").contains("detail=session"), cache(member, "Cache-Status"));
        HttpResponse<String> anonymous = get(app, adapter.path("/session/greeting"));
        assertEquals("hello stranger", anonymous.body());
        assertEquals("MISS", cache(anonymous));
    }

    /**
     * A servlet filter's request wrapper keeps a session named by a header (Spring Session's {@code X-Auth-Token}) or
     * logs a user in: the request has no cookie, yet its page is the session's or the user's. Where a hit is answered
     * before matching, that answer once judged the request as sent and handed them the anonymous page.
     */
    @Test
    void sessionOrUserAFiltersWrapperCarriesIsNeverAnsweredTheAnonymousPage() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(PlainApplication.class)
                .filter("header-sessions", HeaderSessions.class, "/*"));
        assertEquals("MISS", cache(get(app, "/api/session/whoami")));
        assertEquals("HIT", cache(get(app, "/api/session/whoami")));
        HttpResponse<String> member = get(app, "/api/session/whoami", "X-Auth-Token", "alice");
        assertEquals("hello session alice", member.body());
        assertTrue(cache(member, "Cache-Status").endsWith("bypass; detail=session"), cache(member, "Cache-Status"));
        HttpResponse<String> user = get(app, "/api/session/whoami", "X-Api-Key", "bob");
        assertEquals("hello bob", user.body());
        assertTrue(cache(user, "Cache-Status").endsWith("bypass; detail=credentials"), cache(user, "Cache-Status"));
        assertEquals("hello stranger", get(app, "/api/session/whoami").body());
        assertEquals(3, calls(app), "the anonymous miss, the member and the user");
    }

    @Test
    void whatTheMethodPutsOnTheServletResponseItselfIsNeverStored() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class));
        int calls = 0;
        for (String path : List.of("/api/outside/cookie", "/api/outside/header", "/api/outside/written",
                "/api/outside/redirected")) {
            HttpResponse<String> first = get(app, path);
            HttpResponse<String> second = get(app, path);
            calls += 2;
            assertNotEquals("HIT", cache(second), path);
            assertEquals(first.statusCode(), second.statusCode(), path);
            assertEquals(calls, calls(app), path + ": the method answers every request");
        }
        HttpResponse<String> cookie = get(app, "/api/outside/cookie");
        assertEquals("ResponseCache; fwd=uri-miss; detail=set-cookie", cache(cookie, "Cache-Status"));
        assertTrue(cookie.headers().firstValue("Set-Cookie").orElseThrow().startsWith("csrf=t" + (calls + 1)));
        assertEquals("token t" + (calls + 1), cookie.body());
        HttpResponse<String> header = get(app, "/api/outside/header");
        assertEquals("ResponseCache; fwd=uri-miss; detail=servlet-response", cache(header, "Cache-Status"));
        assertEquals(String.valueOf(calls + 2), header.headers().firstValue("X-Report-Id").orElseThrow());
        // And a method that leaves the servlet response alone is still stored on this runtime and container.
        get(app, "/api/items/7");
        String hit = cache(get(app, "/api/items/7"), "Cache-Status");
        assertTrue(hit.startsWith("ResponseCache; hit"), hit);
    }

    /**
     * A line that keeps a response out of a shared cache ({@code Set-Cookie}, {@code Cache-Control: private} or
     * {@code no-store}) or keys it ({@code Vary}), added after the method returned by an application response filter
     * below the cache's last one, an application writer interceptor or the message body writer: the client got it,
     * so the response is never another tenant's answer. Tenant {@code a} asks first, tenant {@code b} next.
     */
    @Test
    void lineAddedAfterTheStoreDecisionStillKeepsTheResponseFromOtherUsers() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(LateHeadersApplication.class));
        List<String> wrong = new ArrayList<>();
        int calls = 0;
        for (String by : List.of("filter", "interceptor", "after", "writer")) {
            for (String line : List.of("cookie", "private", "no-store", "vary")) {
                for (String shape : by.equals("filter") ? List.of("empty", "bare", "body") : List.of("body")) {
                    String path = "/api/late/" + by + "/" + line + "/" + shape;
                    HttpResponse<String> first = get(app, path, LateHeadersApplication.TENANT, "a");
                    HttpResponse<String> second = get(app, path, LateHeadersApplication.TENANT, "b");
                    calls += 2;
                    String answer = shape.equals("body") ? second.body()
                            : second.headers().firstValue("X-Answer").orElse("none");
                    if (!answer.equals("b " + calls) || calls(app) != calls) {
                        wrong.add(path + ": tenant b got '" + answer + "' (" + cache(second) + ", "
                                + cache(second, "Cache-Status") + "; first " + cache(first, "Cache-Status") + " "
                                + first.headers().map() + ")");
                        calls = calls(app);
                        continue;
                    }
                    if (line.equals("vary")) {
                        // Keyed on the tenant, and still stored: each tenant's own answer is a hit.
                        HttpResponse<String> again = get(app, path, LateHeadersApplication.TENANT, "a");
                        if (!(shape.equals("body") ? again.body()
                                : again.headers().firstValue("X-Answer").orElse("none")).equals("a " + (calls - 1))) {
                            wrong.add(path + ": tenant a asking again got " + cache(again) + ", "
                                    + cache(again, "Cache-Status"));
                            calls = calls(app);
                        }
                    } else if (!by.equals("after") && !cache(second, "Cache-Status")
                            .equals("ResponseCache; fwd=uri-miss; detail=" + detail(line))) {
                        wrong.add(path + ": Cache-Status " + cache(second, "Cache-Status"));
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /**
     * An application response filter below the cache's filter at 100 replaces the status of a response with an
     * entity, or takes the entity away, after the cache judged it storable: the first tenant's answer was stored
     * under the method's status (and given to the next tenant), or, without an entity, no writer ran to store it or
     * release its key. Neither is stored, and {@code Cache-Status} says why.
     */
    @Test
    void statusOrEntityReplacedBelowTheCachesFilterIsNotStored() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(LateHeadersApplication.class));
        HttpResponse<String> first = get(app, "/api/late/replace/status/body", LateHeadersApplication.TENANT, "a");
        HttpResponse<String> second = get(app, "/api/late/replace/status/body", LateHeadersApplication.TENANT, "b");
        assertEquals(List.of(203, "a 1", 203, "b 2"), List.of(first.statusCode(), first.body(), second.statusCode(),
                second.body()), cache(second, "Cache-Status"));
        assertEquals("ResponseCache; fwd=uri-miss; detail=status-replaced", cache(first, "Cache-Status"));
        HttpResponse<String> dropped = get(app, "/api/late/replace/entity/body", LateHeadersApplication.TENANT, "a");
        assertEquals(200, dropped.statusCode());
        assertEquals("", dropped.body());
        assertEquals("ResponseCache; fwd=uri-miss; detail=entity-replaced", cache(dropped, "Cache-Status"));
        assertEquals(3, calls(app));
    }

    private static String detail(String line) {
        return line.equals("cookie") ? "set-cookie" : line;
    }

    @Test
    void invalidatorInjectedWithContextEvictsOneRequest() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class));
        get(app, "/api/items/21");
        get(app, "/api/items/22");
        HttpResponse<String> evicted = client.send(HttpRequest.newBuilder(app.base().resolve("/api/items/21/evict"))
                .timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("removed 1", evicted.body());
        assertEquals("MISS", cache(get(app, "/api/items/21")));
        assertEquals("HIT", cache(get(app, "/api/items/22")));
    }

    @Test
    void tagHeaderIsNeverSentAndPurgeWithTheTokenEvictsOneUrl() throws Exception {
        String token = "contract-0123456789abcdef";
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class)
                .contextParam(ResponseCacheProperties.TAG_HEADER, "X-Item-Tags")
                .contextParam(ResponseCacheProperties.PURGE_TOKEN, token));
        HttpResponse<String> miss = get(app, "/api/tagged/1?a=1");
        HttpResponse<String> hit = get(app, "/api/tagged/1?a=1");
        assertEquals("HIT", cache(hit));
        assertTrue(miss.headers().firstValue("X-Item-Tags").isEmpty(), miss.headers().map().toString());
        assertTrue(hit.headers().firstValue("X-Item-Tags").isEmpty(), hit.headers().map().toString());
        get(app, "/api/tagged/1");
        HttpRequest purge = HttpRequest.newBuilder(app.base().resolve("/api/tagged/1?a=1")).timeout(TIMEOUT)
                .method("PURGE", HttpRequest.BodyPublishers.noBody()).build();
        assertEquals(401, client.send(purge, HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> purged = client.send(HttpRequest.newBuilder(purge, (name, value) -> true)
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("removed=1\n", purged.body());
        assertEquals("MISS", cache(get(app, "/api/tagged/1?a=1")));
        ResponseCacheInvalidator invalidator = (ResponseCacheInvalidator) app.servletContext()
                .getAttribute(ResponseCacheInvalidator.ATTRIBUTE);
        assertEquals(2, invalidator.evictTags("item:1"), "both URLs carry the header's tags");
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

    /**
     * A {@code Cache-Status} member an application response filter adds came before the cache's on the miss (read as
     * a member of a cache nearer the origin) and after it on a hit (the filter runs after the replay).
     */
    @Test
    void applicationFiltersCacheStatusCameAfterTheCachesOnAHit() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(FilteredApplication.class));
        assertEquals(List.of("OriginCache; hit, AppEdge; note, ResponseCache; fwd=uri-miss"),
                get(app, "/api/upstream-cached").headers().allValues("Cache-Status"));
        HttpResponse<String> hit = get(app, "/api/upstream-cached");
        assertEquals("HIT", cache(hit));
        List<String> status = hit.headers().allValues("Cache-Status");
        assertEquals(1, status.size(), status.toString());
        assertTrue(status.get(0).matches("OriginCache; hit, AppEdge; note, ResponseCache; hit; ttl=\\d+"),
                status.toString());
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

    /** The Redis store's settings were read only with store=redis: a bad one passed every start-up on Ehcache. */
    @Test
    void badRedisTimeoutWithTheEhcacheStoreFailsTheStart() {
        Exception failure = assertThrows(Exception.class, () -> deploy(new WebApp().jaxrs(ContractApplication.class)
                .contextParam(ResponseCacheProperties.STORE, "ehcache")
                .contextParam(ResponseCacheProperties.REDIS_READ_TIMEOUT, "soon")));
        String messages = messages(failure);
        assertTrue(messages.contains(ResponseCacheProperties.REDIS_READ_TIMEOUT + ": 'soon'"), messages);
    }

    /** With the cache off only the basic settings were read. */
    @Test
    void badNearTierBoundWithTheCacheOffFailsTheStart() {
        Exception failure = assertThrows(Exception.class, () -> deploy(new WebApp().jaxrs(ContractApplication.class)
                .contextParam(ResponseCacheProperties.ENABLED, "false")
                .contextParam(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE, "lots")));
        String messages = messages(failure);
        assertTrue(messages.contains(ResponseCacheProperties.NEAR_CACHE_HEAP_SIZE + ": 'lots'"), messages);
    }

    /**
     * With the cache off the annotations were not read: a bad one started silently and failed the first start-up with
     * the cache on. It fails with the cache off too, naming the method and the value, as with it on.
     */
    @Test
    void badAnnotationFailsTheStartWithTheCacheOffAsWithItOn() {
        String owner = BadAnnotationApplication.ZeroTtl.class.getName() + "#get";
        for (String enabled : new String[] {"true", "false"}) {
            Exception failure = assertThrows(Exception.class, () -> deploy(new WebApp()
                    .jaxrs(BadAnnotationApplication.class)
                    .contextParam(ResponseCacheProperties.ENABLED, enabled)).close(), enabled);
            String messages = messages(failure);
            assertTrue(messages.contains(owner) && messages.contains("ttl"), enabled + ": " + messages);
        }
    }

    /** Off, the annotations are only checked: every request runs the method, and nothing says HIT or MISS. */
    @ParameterizedTest
    @EnumSource(Adapter.class)
    void cacheSwitchedOffServesEveryRequestUncached(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app().contextParam(ResponseCacheProperties.ENABLED, "false"));
        HttpResponse<String> first = get(app, adapter.path("/items/1"));
        HttpResponse<String> second = get(app, adapter.path("/items/1"));
        assertEquals(first.statusCode(), second.statusCode());
        assertEquals(203, second.statusCode());
        assertEquals("none", cache(second));
        assertEquals(2, calls(app));
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

    /**
     * RESTEasy cuts a method's {@code File} entity into the range a request asks for (a 206 with
     * {@code Content-Range}); a hit replays the stored bytes, which no runtime cuts, and answered the whole 200. Jersey
     * answers the whole 200 either way. Each range request, cached and not, must get what the runtime alone answers.
     */
    @Test
    void rangeOfAFileEntityAnsweredWholeWhereTheRuntimeCutsIt() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class));
        assertEquals("MISS", cache(get(app, "/api/files/cached")));
        assertEquals("HIT", cache(get(app, "/api/files/cached")));
        for (String range : List.of("bytes=0-4", "bytes=5-", "bytes=-3", "bytes=30-", "bytes=0-2,4-6")) {
            HttpResponse<String> alone = get(app, "/api/files/uncached", "Range", range);
            HttpResponse<String> cached = get(app, "/api/files/cached", "Range", range);
            assertEquals(alone.statusCode(), cached.statusCode(), range + ", X-Cache: " + cache(cached));
            assertEquals(alone.headers().firstValue("Content-Range"), cached.headers().firstValue("Content-Range"),
                    range);
            assertEquals(alone.body(), cached.body(), range);
        }
        assertEquals("HIT", cache(get(app, "/api/files/cached")), "a request without a range is still answered");
    }

    /**
     * The opt-in early filter cut a range request into a 206 from the entry, where the runtime answers the whole 200
     * (neither Jersey nor RESTEasy cuts a method's String, nor its own hit): it is left to the runtime, as the hits
     * in front of the runtime leave it.
     */
    @Test
    void rangeTheEarlyFilterCutWhereTheRuntimeAnswersTheWhole200() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class)
                .cacheFilter("early", "/api/*", "earlyJaxrsHits", "true"));
        HttpResponse<String> miss = get(app, "/api/prices/7");
        HttpResponse<String> ranged = get(app, "/api/prices/7", "Range", "bytes=0-4");
        assertEquals(200, ranged.statusCode(), "X-Cache: " + cache(ranged));
        assertEquals(miss.body(), ranged.body());
        assertEquals(2, entered(app), "the range request went into the runtime");
    }

    private static int runtimeEntries(Container.Deployed app) {
        return Counters.counter(app.servletContext(), RuntimeEntries.COUNT).get();
    }

    /** Status, headers (but the date) and body: what a client can tell of an answer. */
    private static String wire(HttpResponse<String> response) {
        Map<String, List<String>> headers = new TreeMap<>(response.headers().map());
        headers.remove("date");
        return response.statusCode() + " " + headers + " " + response.body();
    }

    @Test
    void jaxrsHitIsAnsweredInFrontOfTheRuntimeWithTheBytesTheRuntimeWouldSend() throws Exception {
        MovableClock clock = new MovableClock();
        Container.Deployed early = deploy(new WebApp().jaxrs(PlainApplication.class).listener(RuntimeEntries.class)
                .attribute(ResponseCacheProperties.CLOCK, clock));
        // Any filter of the application keeps the hits inside the runtime: the reference answers.
        Container.Deployed inside = deploy(new WebApp().jaxrs(PlainApplication.class).listener(RuntimeEntries.class)
                .filter("key", KeyRequired.class, "/reports/*").attribute(ResponseCacheProperties.CLOCK, clock));
        for (Container.Deployed app : List.of(early, inside)) {
            assertEquals("MISS", cache(get(app, "/api/items/30")));
        }
        clock.advance(Duration.ofSeconds(3));
        HttpResponse<String> hit = get(early, "/api/items/30");
        assertEquals("HIT", cache(hit));
        assertEquals(wire(get(inside, "/api/items/30")), wire(hit));
        String etag = hit.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> notModified = get(early, "/api/items/30", "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals(wire(get(inside, "/api/items/30", "If-None-Match", etag)), wire(notModified));
        HttpResponse<String> head = head(early, "/api/items/30");
        assertEquals("HIT", cache(head));
        assertEquals(wire(head(inside, "/api/items/30")), wire(head));
        HttpResponse<String> noCache = get(early, "/api/items/30", "Cache-Control", "no-cache");
        assertEquals(wire(get(inside, "/api/items/30", "Cache-Control", "no-cache")), wire(noCache));

        // The runtime marks the requests it enters only where it could answer them before matching.
        boolean provable = runtime().addsNothingToTheApplication();
        assertEquals(provable ? 1 : 0, runtimeEntries(early), "of the GETs, only the miss entered the runtime");
        assertEquals(provable ? 4 : 0, runtimeEntries(inside), "every GET entered the runtime");
        assertEquals(1, calls(early));

        // A Content-Type is matched against the method's @Consumes even on a GET without content, and one the
        // runtime cannot parse is refused there: such a request is never answered in front of the runtime.
        String[] unparseable = {"Content-Type", "not a media type"};
        HttpResponse<String> typed = get(early, "/api/items/30", unparseable);
        assertEquals(get(inside, "/api/items/30", unparseable).statusCode(), typed.statusCode(), cache(typed));
        // What the runtime does to a response after every filter, as Jersey resolving a relative Location against
        // the base URI, a hit in front of it must send too, or leave the path to the runtime.
        for (Container.Deployed app : List.of(early, inside)) {
            assertEquals("MISS", cache(get(app, "/api/moved/31")));
        }
        HttpResponse<String> moved = get(early, "/api/moved/31");
        assertEquals("HIT", cache(moved));
        assertEquals(wire(get(inside, "/api/moved/31")).replace(inside.base().toString(), "/"),
                wire(moved).replace(early.base().toString(), "/"));
    }

    /**
     * A hit the runtime writes through a response wrapper in front of it that refuses one of its lines failed the
     * runtime's write: every hit of the entry was the runtime's 500 until the entry expired. Only the first is now;
     * the key's later requests are served uncached, as the application alone answers them.
     */
    @Test
    void jaxrsHitRefusedInFrontOfTheRuntimeWasA500OnEveryHit() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(PlainApplication.class)
                .filter("no-age", RefusesAge.class, "/*"));
        HttpResponse<String> miss = get(app, "/api/items/40");
        assertEquals(203, miss.statusCode());
        assertTrue(cache(miss, "Cache-Status").contains("fwd=uri-miss"), miss.headers().map().toString());
        HttpResponse<String> refused = get(app, "/api/items/40");
        assertEquals(500, refused.statusCode(), "the runtime writes the hit past the cache: " + refused.headers().map());
        for (int call = 2; call <= 3; call++) {
            HttpResponse<String> later = get(app, "/api/items/40");
            assertEquals(203, later.statusCode(), "a later hit failed too");
            assertEquals("{\"id\":\"40\",\"call\":" + call + "}", later.body());
        }
        assertEquals(3, calls(app), "the miss and the two requests after the refused hit ran the method");
    }

    /** How an application's own servlet filter is registered. */
    enum Registration {
        /** Declared, as web.xml declares it. */
        DECLARED,
        /** Added through {@code ServletContext.addFilter} at start-up. */
        PROGRAMMATIC
    }

    @ParameterizedTest
    @EnumSource(Registration.class)
    void servletAuthFilterIsNeverSkippedByAHitOnTheRuntimesEntries(Registration registration) throws Exception {
        WebApp webApp = new WebApp().jaxrs(PlainApplication.class).listener(RuntimeEntries.class);
        Container.Deployed app = deploy(registration == Registration.DECLARED
                ? webApp.filter("key", KeyRequired.class, "/*") : webApp.listener(RegistersKeyFilter.class));
        assertEquals("MISS", cache(get(app, "/api/items/31", "X-Key", "open")));
        assertEquals("HIT", cache(get(app, "/api/items/31", "X-Key", "open")));
        assertEquals(401, get(app, "/api/items/31").statusCode());
        assertEquals(401, head(app, "/api/items/31").statusCode());
        assertEquals(runtime().addsNothingToTheApplication() ? 2 : 0, runtimeEntries(app),
                "the hit entered the runtime: the filter ran in front of it");
    }

    @Test
    void jaxrsRequestFilterAboveTheDefaultLookupPriorityRunsBeforeEveryHit() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(LateKeyCheckApplication.class));
        assertEquals("MISS", cache(get(app, "/api/items/33", "X-Api-Key", "k")));
        assertEquals("HIT", cache(get(app, "/api/items/33", "X-Api-Key", "k")));
        HttpResponse<String> anonymous = get(app, "/api/items/33");
        assertEquals(401, anonymous.statusCode(), "X-Cache: " + cache(anonymous));
        assertEquals(401, head(app, "/api/items/33").statusCode());
    }

    @Test
    void jaxrsFilterOfTheApplicationKeepsHitsInsideTheRuntime() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(ContractApplication.class));
        assertEquals("MISS", cache(get(app, "/api/items/32")));
        assertEquals("HIT", cache(get(app, "/api/items/32")));
        assertEquals(2, entered(app), "the application's pre-matching filter saw the hit");
    }

    /** How the listener that closes the cache gets into the application. */
    enum Lifecycle {
        /** The container runs the library's initializer, as a deployed WAR's container does. */
        SCANNED,
        /** An embedded server that does not scan, with the listener declared, as docs/RUNTIMES.md says. */
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
                    .contextParam(ResponseCacheProperties.REDIS_KEY_PREFIX, "contract:")
                    // Far beyond any normal reply (the defaults, 200 ms and 50 ms, are not): on a loaded machine a
                    // late reply, or a slow one judged unhealthy, would turn the expected hits into misses.
                    .contextParam(ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s")
                    .contextParam(ResponseCacheProperties.REDIS_SLOW_CALL, "30s"), runtime());
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
     * A refresh run after the stale answer whose method throws an exception no mapper handles (Jersey passes it to
     * the container, RESTEasy answers it with its default mapper's 500 through the response filters): neither the
     * exception's 500 nor anything else is stored, the stale entry keeps answering, the key's claim ends so a later
     * stale answer refreshes again, and the first refresh that succeeds is stored.
     */
    @Test
    void refreshWhoseMethodThrewAnUnmappedExceptionStoresNothingAndIsTriedAgain() throws Exception {
        StaleBehaviour behaviour = new StaleBehaviour();
        Container.Deployed app = deploy(staleApp(Adapter.JAXRS, behaviour));
        String path = Adapter.JAXRS.path("/stale/unmapped");
        HttpResponse<String> miss = get(app, path);
        behaviour.clock.advance(Duration.ofSeconds(70));
        behaviour.mode = StaleBehaviour.Mode.THROW;
        assertEquals(miss.body(), get(app, path).body());
        awaitUntil(() -> calls(app) >= 2, TIMEOUT, () -> "the refresh never ran");
        awaitUntil(() -> {
            HttpResponse<String> stale = getUnchecked(app, path);
            assertEquals(200, stale.statusCode(), "the exception's 500 reached a client");
            assertEquals(miss.body(), stale.body(), "the exception's answer was stored");
            assertEquals("STALE", cache(stale));
            return calls(app) >= 3;
        }, TIMEOUT, () -> "the failed refresh kept the key's claim");
        behaviour.mode = StaleBehaviour.Mode.ANSWER;
        awaitUntil(() -> answeredAs(app, path, "HIT"), TIMEOUT, () -> "a successful refresh was never stored");
        assertNotEquals(miss.body(), get(app, path).body());
    }

    private HttpResponse<String> getUnchecked(Container.Deployed app, String path) {
        try {
            return get(app, path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Each way a method fails, within staleIfError and past it: an exception no mapper handles (which Jersey and
     * RESTEasy answer outside JAX-RS), a mapped exception (the servlet: {@code sendError(503)}, whose page the
     * container renders) and a returned 503.
     */
    @ParameterizedTest
    @EnumSource(Adapter.class)
    void unmappedMappedAndReturnedErrorsWithinStaleIfErrorAreAnsweredStaleAndPassThroughPastIt(Adapter adapter)
            throws Exception {
        StaleBehaviour behaviour = new StaleBehaviour();
        Container.Deployed app = deploy(staleApp(adapter, behaviour));
        Map<StaleBehaviour.Mode, Integer> failures = Map.of(StaleBehaviour.Mode.THROW, 500,
                StaleBehaviour.Mode.FAIL_MAPPED, 503, StaleBehaviour.Mode.ANSWER_503, 503);
        Map<StaleBehaviour.Mode, String> stored = new java.util.EnumMap<>(StaleBehaviour.Mode.class);
        for (StaleBehaviour.Mode mode : failures.keySet()) {
            HttpResponse<String> miss = get(app, adapter.path("/stale/error-" + mode));
            assertEquals("MISS", cache(miss));
            stored.put(mode, miss.body());
        }
        // Past staleWhileRevalidate, within staleIfError: the method runs for the request, and fails.
        behaviour.clock.advance(Duration.ofSeconds(91));
        for (Map.Entry<StaleBehaviour.Mode, Integer> failure : failures.entrySet()) {
            behaviour.mode = failure.getKey();
            HttpResponse<String> stale = get(app, adapter.path("/stale/error-" + failure.getKey()));
            assertEquals(200, stale.statusCode(), failure.getKey().name());
            assertEquals(stored.get(failure.getKey()), stale.body(), failure.getKey().name());
            assertEquals("STALE", cache(stale), failure.getKey().name());
            assertEquals("ResponseCache; fwd=stale; fwd-status=" + failure.getValue() + "; ttl=-31",
                    cache(stale, "Cache-Status"), failure.getKey().name());
        }
        behaviour.clock.advance(Duration.ofSeconds(600));
        for (Map.Entry<StaleBehaviour.Mode, Integer> failure : failures.entrySet()) {
            behaviour.mode = failure.getKey();
            HttpResponse<String> error = get(app, adapter.path("/stale/error-" + failure.getKey()));
            assertEquals((int) failure.getValue(), error.statusCode(),
                    failure.getKey() + ": past the window the error goes through");
            assertNotEquals("STALE", cache(error), failure.getKey().name());
        }
    }

    /**
     * The method is held on a gate the test opens only after the client has its answer: only the deadline can have
     * answered it. The method's response, completed later, still refreshes the entry.
     */
    @Test
    void methodPastItsDeadlineIsAnsweredStaleAndItsResponseStillRefreshesTheEntry() throws Exception {
        StaleBehaviour behaviour = new StaleBehaviour();
        Container.Deployed app = deploy(staleApp(Adapter.JAXRS, behaviour));
        String path = Adapter.JAXRS.path("/slow/1");
        HttpResponse<String> miss = get(app, path);
        assertEquals("stale 1 call 1", miss.body());
        behaviour.clock.advance(Duration.ofSeconds(61));
        CountDownLatch gate = new CountDownLatch(1);
        behaviour.gate = gate;
        try {
            HttpResponse<String> stale = get(app, path);
            assertEquals(200, stale.statusCode());
            assertEquals(miss.body(), stale.body());
            assertEquals("STALE", cache(stale));
            assertEquals("ResponseCache; fwd=stale; fwd-status=504; ttl=-1", cache(stale, "Cache-Status"));
            assertEquals(0, behaviour.entered.getCount(), "the method was running");
        } finally {
            behaviour.gate = null;
            gate.countDown();
        }
        // The answer at the deadline released the key: a request polling before the late response is stored is a
        // miss of its own, which may store first. Either way the stale entry is replaced.
        awaitUntil(() -> answeredAs(app, path, "HIT"), TIMEOUT, () -> "the late response was never stored");
        HttpResponse<String> refreshed = get(app, path);
        assertNotEquals(miss.body(), refreshed.body());
        assertTrue(refreshed.body().startsWith("stale 1 call "), refreshed.body());
    }

    private HttpResponse<byte[]> bytes(Container.Deployed app, String method, String path, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.base().resolve(path)).timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String gunzip(byte[] body) throws java.io.IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static boolean variesOnAcceptEncoding(HttpResponse<?> response) {
        return response.headers().allValues("Vary").stream().flatMap(line -> List.of(line.split(",")).stream())
                .anyMatch(name -> name.trim().equalsIgnoreCase("Accept-Encoding"));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void compressedEntryAnswersGzipClientsWithItsGzipBytesAndOthersWithTheBody(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app().contextParam(ResponseCacheProperties.COMPRESS, "gzip"));
        String path = adapter.path("/catalog");
        HttpResponse<byte[]> miss = bytes(app, "GET", path, "Accept-Encoding", "gzip");
        String body = new String(miss.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals("MISS", cache(miss));
        assertEquals(Catalog.json(1), body, "the miss goes out as the application wrote it");

        HttpResponse<byte[]> zipped = bytes(app, "GET", path, "Accept-Encoding", "gzip, deflate");
        assertEquals("HIT", cache(zipped));
        assertEquals(200, zipped.statusCode());
        assertEquals(List.of("gzip"), zipped.headers().allValues("Content-Encoding"));
        assertTrue(zipped.body().length < body.length() / 3, zipped.body().length + " bytes");
        assertEquals(String.valueOf(zipped.body().length),
                zipped.headers().firstValue("Content-Length").orElse(String.valueOf(zipped.body().length)));
        assertEquals(body, gunzip(zipped.body()));
        assertTrue(variesOnAcceptEncoding(zipped), zipped.headers().allValues("Vary").toString());

        for (String[] identity : List.of(new String[0], new String[] {"Accept-Encoding", "identity"},
                new String[] {"Accept-Encoding", "gzip;q=0, br"})) {
            HttpResponse<byte[]> plain = bytes(app, "GET", path, identity);
            assertEquals("HIT", cache(plain));
            assertEquals(List.of(), plain.headers().allValues("Content-Encoding"));
            assertEquals(body, new String(plain.body(), java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(variesOnAcceptEncoding(plain), plain.headers().allValues("Vary").toString());
            String identityTag = plain.headers().firstValue("ETag").orElseThrow();
            assertEquals(identityTag.substring(0, identityTag.length() - 1) + "-gzip\"",
                    zipped.headers().firstValue("ETag").orElseThrow());
        }
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void bothRepresentationsOfACompressedEntryRevalidateWithTheirOwnTag(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app().contextParam(ResponseCacheProperties.COMPRESS, "gzip"));
        String path = adapter.path("/catalog");
        get(app, path);
        String gzipTag = bytes(app, "GET", path, "Accept-Encoding", "gzip").headers().firstValue("ETag")
                .orElseThrow();
        String identityTag = bytes(app, "GET", path).headers().firstValue("ETag").orElseThrow();
        assertNotEquals(gzipTag, identityTag);

        HttpResponse<byte[]> gzip304 = bytes(app, "GET", path, "Accept-Encoding", "gzip", "If-None-Match", gzipTag);
        assertEquals(304, gzip304.statusCode());
        assertEquals(gzipTag, gzip304.headers().firstValue("ETag").orElseThrow());
        assertEquals(0, gzip304.body().length);
        HttpResponse<byte[]> identity304 = bytes(app, "GET", path, "If-None-Match", identityTag);
        assertEquals(304, identity304.statusCode());
        assertEquals(identityTag, identity304.headers().firstValue("ETag").orElseThrow());
        assertEquals(200, bytes(app, "GET", path, "If-None-Match", gzipTag).statusCode(),
                "the gzip tag does not validate the identity body");
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void headOfACompressedEntryHasTheHeadersOfTheGetAndNoBody(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app().contextParam(ResponseCacheProperties.COMPRESS, "gzip"));
        String path = adapter.path("/catalog");
        get(app, path);
        HttpResponse<byte[]> zipped = bytes(app, "GET", path, "Accept-Encoding", "gzip");
        HttpResponse<byte[]> head = bytes(app, "HEAD", path, "Accept-Encoding", "gzip");
        assertEquals("HIT", cache(head));
        assertEquals(0, head.body().length);
        assertEquals(zipped.headers().allValues("Content-Encoding"), head.headers().allValues("Content-Encoding"));
        assertEquals(zipped.headers().allValues("ETag"), head.headers().allValues("ETag"));
        assertEquals(zipped.headers().allValues("Vary"), head.headers().allValues("Vary"));
        assertEquals(zipped.headers().allValues("Content-Type"), head.headers().allValues("Content-Type"));
        assertEquals(String.valueOf(zipped.body().length),
                zipped.headers().firstValue("Content-Length").orElse("none"), "the gzip GET's length");
        assertEquals(String.valueOf(zipped.body().length),
                head.headers().firstValue("Content-Length").orElse("none"), "the gzip GET's length");
        HttpResponse<byte[]> plainHead = bytes(app, "HEAD", path);
        assertEquals(List.of(), plainHead.headers().allValues("Content-Encoding"));
        assertEquals(String.valueOf(Catalog.json(1).length()),
                plainHead.headers().firstValue("Content-Length").orElseThrow(), "the identity GET's length");
        assertEquals(1, calls(app));
    }

    @ParameterizedTest
    @EnumSource(Adapter.class)
    void responseTheApplicationEncodedIsNeverEncodedAgain(Adapter adapter) throws Exception {
        Container.Deployed app = deploy(adapter.app().contextParam(ResponseCacheProperties.COMPRESS, "gzip"));
        String path = adapter.path("/catalog-encoded");
        HttpResponse<byte[]> miss = bytes(app, "GET", path, "Accept-Encoding", "gzip");
        assertEquals("MISS", cache(miss));
        for (String[] headers : List.of(new String[] {"Accept-Encoding", "gzip"}, new String[0])) {
            HttpResponse<byte[]> hit = bytes(app, "GET", path, headers);
            assertEquals("HIT", cache(hit));
            assertEquals(List.of("gzip"), hit.headers().allValues("Content-Encoding"));
            assertEquals(Catalog.json(1), gunzip(hit.body()), "one layer of gzip, the application's");
            assertEquals(java.util.Arrays.toString(miss.body()), java.util.Arrays.toString(hit.body()));
        }
        assertEquals(1, calls(app));
    }

    @Test
    void encodedQueryParameterIsKeyedAsSentWhileADecodedOneSharesAnEntryAmongSpellings() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(QueryKeysApplication.class));
        assertEquals("as sent: a%20b", get(app, "/api/query/encoded?q=a%20b").body());
        assertEquals("HIT", cache(get(app, "/api/query/encoded?q=a%20b")));
        HttpResponse<String> plus = get(app, "/api/query/encoded?q=a+b");
        assertEquals("as sent: a+b", plus.body(), "X-Cache: " + cache(plus));
        assertEquals("as sent: %41", get(app, "/api/query/encoded?q=%41").body());
        HttpResponse<String> letter = get(app, "/api/query/encoded?q=A");
        assertEquals("as sent: A", letter.body(), "X-Cache: " + cache(letter));
        assertEquals("decoded: a b", get(app, "/api/query/decoded?q=a%20b").body());
        HttpResponse<String> decoded = get(app, "/api/query/decoded?q=a+b");
        assertEquals("HIT", cache(decoded));
        assertEquals("decoded: a b", decoded.body());
    }

    @Test
    void methodHandedAHeaderItsKeyDoesNotHoldIsKeyedOnIt() throws Exception {
        Container.Deployed app = deploy(new WebApp().jaxrs(UnkeyedHeaderApplication.class));
        assertEquals("report of acme", get(app, "/api/report", "X-Tenant", "acme").body());
        HttpResponse<String> globex = get(app, "/api/report", "X-Tenant", "globex");
        assertEquals("report of globex", globex.body(), "X-Cache: " + cache(globex));
        HttpResponse<String> again = get(app, "/api/report", "X-Tenant", "acme");
        assertEquals("report of acme", again.body());
        assertEquals("HIT", cache(again));
    }

    /** Polls until {@code done}, with a deadline: no fixed sleep. */
    static void awaitUntil(BooleanSupplier done, Duration within, Supplier<String> failure) {
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
