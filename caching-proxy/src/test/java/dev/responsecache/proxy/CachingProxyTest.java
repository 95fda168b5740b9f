package dev.responsecache.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The caching proxy on a real Jetty, in front of a real Jetty origin, called over HTTP. */
class CachingProxyTest {

    /** Round trips through the proxy before a state it should reach is declared never reached. */
    private static final int MAX_ATTEMPTS = 100_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final HttpClient client = HttpClient.newHttpClient();
    private Origin origin;
    private CachingProxy proxy;

    @BeforeEach
    void start() throws Exception {
        origin = new Origin(clock).start();
        proxy = CachingProxy.start(URI.create(origin.url()), 0, Map.of(ResponseCacheProperties.CLOCK, clock));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        origin.stop();
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + proxy.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    /**
     * A miss through the proxy, then a wait until its entry is stored: the proxy servlet is asynchronous, and the
     * entry is stored as its response completes, which the client may see a moment earlier. A test that then moves
     * the clock must not move it under that store. Polled with HEAD (answered from the GET's entry once stored; the
     * origin's GET count is untouched), with a far deadline, never timed.
     */
    private HttpResponse<String> getStored(String path, String... headers) throws Exception {
        HttpResponse<String> miss = get(path, headers);
        eventually(() -> "HIT".equals(send("HEAD", path, headers).headers().firstValue("X-Cache").orElse("")),
                () -> path + " was never stored");
        return miss;
    }

    /**
     * Polls until {@code done} holds, for what the asynchronous proxy servlet does after its client has the answer (a
     * store, an eviction): each attempt is a request through the proxy, so the bound is a number of round trips,
     * which a loaded machine slows as much as the work awaited; no clock is read.
     */
    private static void eventually(Callable<Boolean> done, Supplier<String> failure) throws Exception {
        for (int attempt = 0; !done.call(); attempt++) {
            if (attempt == MAX_ATTEMPTS) {
                throw new AssertionError(failure.get());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void freshResponseIsAnsweredFromTheCacheUntilMaxAgeThenFetchedAgain() throws Exception {
        assertEquals("fresh 1", getStored("/fresh").body());
        clock.advance(Duration.ofSeconds(59));
        HttpResponse<String> hit = get("/fresh");
        assertEquals("fresh 1", hit.body());
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("59", hit.headers().firstValue("Age").orElseThrow());
        assertEquals(1, origin.count("GET", "/fresh"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals("fresh 2", get("/fresh").body());
        assertEquals(2, origin.count("GET", "/fresh"));
    }

    /**
     * The origin's own cache status fields replaced the proxy's (Jetty's proxy servlet sets every origin field): a miss
     * showed the upstream's {@code X-Cache} and {@code Cache-Status} alone, so no client could tell which cache
     * answered. {@code Cache-Status} is a list, the member of the cache nearest the origin first (RFC 9211 2): the
     * upstream's member as the origin sent it, then the proxy's, one of each on a miss, a hit and a revalidation; the
     * proxy's member is never stored. {@code X-Cache} is the proxy's, the outermost cache.
     */
    @Test
    void upstreamCacheStatusReplacedTheProxysOwn() throws Exception {
        HttpResponse<String> miss = getStored("/upstream-cached");
        assertEquals("upstream-cached 1", miss.body());
        assertEquals(List.of("MISS"), miss.headers().allValues("X-Cache"));
        assertEquals(List.of("UpstreamCache; fwd=uri-miss; stored, ResponseCache; fwd=uri-miss"),
                miss.headers().allValues("Cache-Status"));
        clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> hit = get("/upstream-cached");
            assertEquals("upstream-cached 1", hit.body());
            assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"));
            assertEquals(List.of("UpstreamCache; fwd=uri-miss; stored, ResponseCache; hit; ttl=50"),
                    hit.headers().allValues("Cache-Status"), "the stored upstream member, then this hit's own");
        }
        assertEquals(1, origin.count("GET", "/upstream-cached"));
        clock.advance(Duration.ofSeconds(60));
        HttpResponse<String> revalidated = get("/upstream-cached");
        assertEquals("upstream-cached 1", revalidated.body());
        assertEquals(List.of("REVALIDATED"), revalidated.headers().allValues("X-Cache"));
        assertEquals(List.of("UpstreamCache; hit; ttl=12, ResponseCache; fwd=stale; fwd-status=304; ttl=60"),
                revalidated.headers().allValues("Cache-Status"), "the 304's upstream member replaces the stored one");
        HttpResponse<String> hit = get("/upstream-cached");
        assertEquals(List.of("UpstreamCache; hit; ttl=12, ResponseCache; hit; ttl=60"),
                hit.headers().allValues("Cache-Status"));
        assertEquals(2, origin.count("GET", "/upstream-cached"));
    }

    /**
     * A response the header-driven mode refused for a reason only its headers as a whole tell showed a bare
     * {@code Cache-Status: ResponseCache; fwd=uri-miss} (the proxy's DEBUG log said {@code not stored (no-lifetime)}),
     * which says it was stored: no lifetime and no validator, {@code Authorization} without {@code public}, older on
     * arrival than its freshness.
     */
    @Test
    void headerDrivenRefusalsShowedNoDetail() throws Exception {
        assertNotStored("/no-lifetime", "no-lifetime");
        assertNotStored("/aged-out", "stale");
        assertNotStored("/fresh", "authorization", "Authorization", "Bearer t");
    }

    private void assertNotStored(String path, String detail, String... headers) throws Exception {
        for (int i = 1; i <= 2; i++) {
            HttpResponse<String> miss = get(path, headers);
            assertEquals("MISS", miss.headers().firstValue("X-Cache").orElseThrow(), path);
            assertEquals("ResponseCache; fwd=uri-miss; detail=" + detail,
                    miss.headers().firstValue("Cache-Status").orElseThrow(), path);
            assertEquals(i, origin.count("GET", path), path);
        }
    }

    /**
     * Jetty's proxy servlet re-serialised every field of the origin's response ({@link ReverseProxyServlet}): the
     * spaces around parameters and the quotes of quoted strings were removed ({@code filename=annual report, 2025.pdf},
     * now two list members), and {@code Report-To}'s JSON, no list of tokens, stopped the copy, so that it and every
     * field after it never reached the client. The miss and the hits carry them as the origin sent them.
     */
    @Test
    void originFieldsWithQuotesOrSpacedParametersReachedTheClientRewritten() throws Exception {
        HttpResponse<String> miss = getStored("/verbatim");
        HttpResponse<String> hit = get("/verbatim");
        assertEquals("verbatim 1", hit.body());
        assertEquals(List.of("HIT"), hit.headers().allValues("X-Cache"));
        for (HttpResponse<String> answer : List.of(miss, hit)) {
            String what = answer.headers().firstValue("X-Cache").orElseThrow();
            assertEquals(List.of("attachment; filename=\"annual report, 2025.pdf\""),
                    answer.headers().allValues("Content-Disposition"), what);
            assertEquals(List.of("</style.css>; rel=\"preload\"; as=style"), answer.headers().allValues("Link"), what);
            assertEquals(List.of("{\"group\":\"csp\",\"max_age\":60}"), answer.headers().allValues("Report-To"),
                    what);
            assertEquals(List.of("kept"), answer.headers().allValues("X-After-Report-To"), what);
            assertTrue(answer.headers().firstValue("Cache-Status").orElseThrow()
                    .startsWith("UpstreamCache; fwd=uri-miss; stored, Edge; hit; ttl=5, ResponseCache; "), what);
        }
        assertEquals(1, origin.count("GET", "/verbatim"));
    }

    /**
     * RFC 9111 4.3.2: If-Match is not applicable to a cache. A hit answered it as if absent, a 200 (or the range of a
     * resumed download) where the origin answers 412; it goes to the origin as sent, and its answer is not stored.
     */
    @Test
    void ifMatchNamingAnotherTagReachesTheOriginWhichAnswersPreconditionFailed() throws Exception {
        assertEquals("etag body 1", getStored("/etag").body());
        HttpResponse<String> resumed = get("/etag", "If-Match", "\"v0\"", "Range", "bytes=5-");
        assertEquals(412, resumed.statusCode(), resumed.body());
        assertEquals("ResponseCache; fwd=bypass; detail=precondition",
                resumed.headers().firstValue("Cache-Status").orElseThrow());
        assertEquals(2, origin.count("GET", "/etag"));
        HttpResponse<String> current = get("/etag", "If-Match", "\"v1\"");
        assertEquals("etag body 3", current.body());
        assertEquals(3, origin.count("GET", "/etag"));
        assertEquals("etag body 1", get("/etag").body(), "the entry answers requests without the precondition");
    }

    /**
     * RFC 5861 stale-if-error through the proxy servlet, which is asynchronous: an origin's 502, then an origin that
     * cannot be reached (the proxy's own 502), within the window are answered with the stale entry; past it the 502
     * goes to the client.
     */
    @Test
    void originErrorAndUnreachableOriginWithinStaleIfErrorAreAnsweredStale() throws Exception {
        assertEquals("flaky 1", getStored("/flaky").body());
        clock.advance(Duration.ofSeconds(61));
        origin.failing = true;
        HttpResponse<String> originError = get("/flaky");
        assertEquals(200, originError.statusCode());
        assertEquals("flaky 1", originError.body());
        assertEquals("STALE", originError.headers().firstValue("X-Cache").orElseThrow());
        assertTrue(originError.headers().firstValue("Cache-Status").orElseThrow().contains("fwd-status=502"),
                originError.headers().firstValue("Cache-Status").orElseThrow());
        origin.stop();
        HttpResponse<String> unreachable = get("/flaky");
        assertEquals(200, unreachable.statusCode());
        assertEquals("flaky 1", unreachable.body());
        assertEquals("STALE", unreachable.headers().firstValue("X-Cache").orElseThrow());
        clock.advance(Duration.ofSeconds(600));
        assertEquals(502, get("/flaky").statusCode(), "past the window the proxy's error goes through");
    }

    @Test
    void upstreamAgeShortensFreshnessAndIsReplayed() throws Exception {
        assertEquals("aged 1", getStored("/aged").body());
        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> hit = get("/aged");
        assertEquals("aged 1", hit.body());
        assertEquals("55", hit.headers().firstValue("Age").orElseThrow());
        clock.advance(Duration.ofSeconds(5));
        assertEquals("aged 2", get("/aged").body());
    }

    /**
     * RFC 9111 4.2.3, 4.3.4: the {@code Age} of a 304 that validates the stored response counts in its age; dropped,
     * a 304 kept 50 s upstream made the entry fresh for its whole {@code max-age=60} again.
     */
    @Test
    void aRevalidating304sAgeCountsAgainstTheFreshnessItGives() throws Exception {
        assertEquals("aged-304 1", getStored("/aged-304").body());
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> revalidated = get("/aged-304");
        assertEquals("REVALIDATED", revalidated.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("50", revalidated.headers().firstValue("Age").orElseThrow());
        clock.advance(Duration.ofSeconds(9));
        HttpResponse<String> hit = get("/aged-304");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("59", hit.headers().firstValue("Age").orElseThrow());
        clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> due = get("/aged-304");
        // Got: HIT with Age: 11. Due: 61 s old, past max-age=60: revalidated with the origin.
        assertEquals("REVALIDATED", due.headers().firstValue("X-Cache").orElseThrow(), "Age: "
                + due.headers().firstValue("Age").orElse("none"));
    }

    @Test
    void staleEntryIsRevalidatedWithTheOriginAndA304RefreshesIt() throws Exception {
        assertEquals("etag body 1", getStored("/etag").body());
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> revalidated = get("/etag");
        assertEquals(200, revalidated.statusCode());
        assertEquals("etag body 1", revalidated.body());
        assertEquals("REVALIDATED", revalidated.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("2", revalidated.headers().firstValue("X-Validated").orElseThrow());
        assertEquals(List.of("GET /etag null null", "GET /etag \"v1\" null"),
                origin.seen().stream().filter(seen -> seen.startsWith("GET ")).toList());
        clock.advance(Duration.ofSeconds(30));
        HttpResponse<String> hit = get("/etag");
        assertEquals("HIT", hit.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("etag body 1", hit.body());
        assertEquals(2, origin.count("GET", "/etag"));
    }

    @Test
    void dateOnlyOriginIsAskedWithTheEtagAloneAndAnswersAChangeInTheSameSecondWhole() throws Exception {
        assertEquals("dated 1", getStored("/dated").body());
        clock.advance(Duration.ofSeconds(61));
        origin.datedVersion = 2;
        HttpResponse<String> answer = getStored("/dated");
        assertEquals("dated 2", answer.body());
        assertEquals("\"v2\"", answer.headers().firstValue("ETag").orElseThrow());
        assertEquals("MISS", answer.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(List.of("GET /dated null null", "GET /dated \"v1\" null"),
                origin.seen().stream().filter(line -> line.startsWith("GET /dated ")).toList(),
                "revalidated with the origin's tag alone");
        assertEquals("dated 2", get("/dated").body());
        assertEquals(2, origin.count("GET", "/dated"));
    }

    @Test
    void notModifiedWithAnotherEtagNeverFreshensTheOldBody() throws Exception {
        assertEquals("dated 1", getStored("/dated-any-tag").body());
        clock.advance(Duration.ofSeconds(61));
        origin.datedVersion = 2;
        // The proxy servlet is asynchronous, and a request is never sent twice: it is answered once from the entry,
        // marked stale, and the entry evicted.
        HttpResponse<String> answer = get("/dated-any-tag");
        assertEquals("dated 1", answer.body());
        assertEquals("\"v1\"", answer.headers().firstValue("ETag").orElseThrow(), "the body's own tag");
        assertEquals("STALE", answer.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("ResponseCache; fwd=stale; fwd-status=304; ttl=-1; detail=validator-mismatch",
                answer.headers().firstValue("Cache-Status").orElseThrow());
        HttpResponse<String> next = getStored("/dated-any-tag");
        assertEquals("dated 2", next.body());
        assertEquals("\"v2\"", next.headers().firstValue("ETag").orElseThrow());
        assertEquals("MISS", next.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("dated 2", get("/dated-any-tag").body());
        assertEquals(3, origin.count("GET", "/dated-any-tag"));
    }

    @Test
    void validatorMismatchOfAResponseThatForbidsStaleUseIsA504NotTheStaleBody() throws Exception {
        assertEquals("dated 1", getStored("/dated-strict").body());
        clock.advance(Duration.ofSeconds(61));
        origin.datedVersion = 2;
        HttpResponse<String> answer = get("/dated-strict");
        assertEquals(504, answer.statusCode(), "must-revalidate: RFC 9111 4.2.4, never served stale");
        assertEquals("", answer.body());
        assertEquals("ResponseCache; fwd=stale; fwd-status=304; detail=validator-mismatch",
                answer.headers().firstValue("Cache-Status").orElseThrow());
        HttpResponse<String> next = getStored("/dated-strict");
        assertEquals("dated 2", next.body());
        assertEquals("MISS", next.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(3, origin.count("GET", "/dated-strict"));
    }

    /** Polls until {@code path} is answered as a hit again (with HEAD, which starts no refresh), far deadline. */
    private void awaitHit(String path) throws Exception {
        eventually(() -> "HIT".equals(send("HEAD", path).headers().firstValue("X-Cache").orElse("")),
                () -> path + " was never refreshed; origin saw " + origin.seen());
    }

    @Test
    void staleWhileRevalidateAnswersStaleAtOnceWhileOneConditionalRequestRevalidatesInTheBackground()
            throws Exception {
        assertEquals("swr body 1", getStored("/swr").body());
        clock.advance(Duration.ofSeconds(70));
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch revalidating = origin.holdRevalidations(gate);
        try {
            HttpResponse<String> stale = get("/swr");
            assertEquals(200, stale.statusCode());
            assertEquals("swr body 1", stale.body());
            assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("70", stale.headers().firstValue("Age").orElseThrow());
            assertEquals("ResponseCache; fwd=stale; ttl=-10; detail=revalidating",
                    stale.headers().firstValue("Cache-Status").orElseThrow());
            assertTrue(revalidating.await(60, TimeUnit.SECONDS),
                    "the background revalidation never reached the origin");
            HttpResponse<String> meanwhile = get("/swr");
            assertEquals("STALE", meanwhile.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("swr body 1", meanwhile.body());
        } finally {
            gate.countDown();
        }
        awaitHit("/swr");
        HttpResponse<String> hit = get("/swr");
        assertEquals("swr body 1", hit.body(), "the 304 kept the stored body");
        assertEquals("2", hit.headers().firstValue("X-Validated").orElseThrow(), "the 304's headers were merged");
        assertEquals("0", hit.headers().firstValue("Age").orElseThrow());
        assertEquals(List.of("GET /swr null null", "GET /swr \"v1\" null"),
                origin.seen().stream().filter(seen -> seen.startsWith("GET ")).toList(),
                "one refresh, a conditional request, however many stale answers");
    }

    @Test
    void staleWhileRevalidateWithoutAValidatorFetchesTheWholeResponseInTheBackground() throws Exception {
        assertEquals("swr plain 1", getStored("/swr-plain").body());
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> stale = get("/swr-plain");
        assertEquals("swr plain 1", stale.body());
        assertEquals("STALE", stale.headers().firstValue("X-Cache").orElseThrow());
        awaitHit("/swr-plain");
        assertEquals("swr plain 2", get("/swr-plain").body());
        assertEquals(2, origin.count("GET", "/swr-plain"));
    }

    @Test
    void sMaxageForbidsTheStaleWhileRevalidateAnswer() throws Exception {
        getStored("/swr-strict");
        clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> fetched = get("/swr-strict");
        assertEquals("MISS", fetched.headers().firstValue("X-Cache").orElseThrow());
        assertEquals("swr strict 2", fetched.body());
        // Stored as the proxy's response completes: waited for, so that the proxy never closes under the store.
        awaitHit("/swr-strict");
    }

    @Test
    void clientConditionalRequestIsAnsweredFromAFreshEntry() throws Exception {
        get("/etag");
        HttpResponse<String> notModified = get("/etag", "If-None-Match", "\"v1\"");
        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.body());
        assertEquals(1, origin.count("GET", "/etag"));
    }

    @Test
    void clientNoCacheRevalidatesInTheProxy() throws Exception {
        get("/etag");
        HttpResponse<String> reloaded = get("/etag", "Cache-Control", "no-cache");
        assertEquals("etag body 1", reloaded.body());
        assertEquals("REVALIDATED", reloaded.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(List.of("GET /etag null null", "GET /etag \"v1\" null"), origin.seen());
    }

    @Test
    void varyKeepsOneLanguageFromAnotherAndVaryStarIsNeverStored() throws Exception {
        assertEquals("lang en 1", get("/vary", "Accept-Language", "en").body());
        assertEquals("lang en 1", get("/vary", "Accept-Language", "en").body());
        assertEquals("lang de 2", get("/vary", "Accept-Language", "de").body());
        assertEquals("lang de 2", get("/vary", "Accept-Language", "de").body());
        assertEquals(2, origin.count("GET", "/vary"));

        assertEquals("star 1", get("/vary-star").body());
        assertEquals("star 2", get("/vary-star").body());
    }

    @Test
    void twoLanguagesAlternatingBothHitAfterTheirFirstMissAndAPostEvictsBoth() throws Exception {
        assertEquals("lang en 1", getStored("/vary", "Accept-Language", "en").body());
        assertEquals("lang de 2", getStored("/vary", "Accept-Language", "de").body());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> english = get("/vary", "Accept-Language", "en");
            assertEquals("lang en 1", english.body());
            assertEquals("HIT", english.headers().firstValue("X-Cache").orElseThrow());
            assertEquals("lang de 2", get("/vary", "Accept-Language", "de").body());
        }
        assertEquals(2, origin.count("GET", "/vary"));

        assertEquals(200, send("POST", "/vary").statusCode());
        // The eviction runs as the asynchronous proxy response completes.
        eventually(() -> !get("/vary", "Accept-Language", "en").body().equals("lang en 1"),
                () -> "the POST never evicted the en variant");
        assertNotEquals("lang de 2", get("/vary", "Accept-Language", "de").body(), "every variant was evicted");
    }

    @Test
    void rangeOnAStoredResponseIsAnsweredFromTheEntryWithoutTheOrigin() throws Exception {
        assertEquals("/file 1", getStored("/file").body());
        HttpResponse<String> part = get("/file", "Range", "bytes=1-4");
        assertEquals(206, part.statusCode());
        assertEquals("file", part.body());
        assertEquals("bytes 1-4/7", part.headers().firstValue("Content-Range").orElseThrow());
        assertEquals(416, get("/file", "Range", "bytes=7-").statusCode());
        assertEquals(1, origin.count("GET", "/file"));
    }

    @Test
    void noStoreAndPrivateResponsesAreNeverStored() throws Exception {
        get("/no-store");
        assertEquals("no-store 2", get("/no-store").body());
        get("/private");
        assertEquals("private 2", get("/private").body());
    }

    @Test
    void clientNoStoreGoesToTheOriginAndLeavesNothingStored() throws Exception {
        assertEquals("fresh 1", get("/fresh", "Cache-Control", "no-store").body());
        assertEquals("fresh 2", get("/fresh").body());
        assertEquals("fresh 2", get("/fresh", "Cache-Control", "max-stale").body());
        assertEquals(2, origin.count("GET", "/fresh"));
    }

    /**
     * RFC 9111 4.4: the cache invalidates the URI a 2xx to an unsafe request names in Location. The origin names it
     * under the authority it was asked under, its own (the proxy sends the origin's Host); the client and the cache
     * know it under the proxy's. That Location passed unchanged named a host no client reaches, and the entry of the
     * created resource, which the client then fetches, was never invalidated.
     */
    @Test
    void locationNamingTheOriginsAuthorityInvalidatesTheProxysEntryAndReachesTheClientAsTheProxys() throws Exception {
        assertEquals("/orders/7 1", getStored("/orders/7").body());
        HttpResponse<String> created = send("POST", "/orders");
        assertEquals(201, created.statusCode());
        assertEquals("http://localhost:" + proxy.port() + "/orders/7",
                created.headers().firstValue("Location").orElseThrow());
        eventually(() -> !"HIT".equals(send("HEAD", "/orders/7").headers().firstValue("X-Cache").orElse("")),
                () -> "the POST never invalidated its Location");
        assertEquals("/orders/7 2", get("/orders/7").body());
    }

    @Test
    void unsafeMethodEvictsTheEntryOfItsPath() throws Exception {
        assertEquals("/item 1", get("/item").body());
        assertEquals("/item 1", get("/item").body());
        assertEquals(200, send("POST", "/item").statusCode());
        assertEquals(1, origin.count("POST", "/item"));
        // The proxy servlet is asynchronous: the eviction runs as its response completes, which the client may see
        // a moment earlier.
        eventually(() -> get("/item").body().equals("/item 2"), () -> "the POST never evicted /item");
        assertEquals("/item 2", get("/item").body());
    }

    @Test
    void onlyIfCachedWithNothingStoredIsA504WithoutCallingTheOrigin() throws Exception {
        assertEquals(504, get("/fresh", "Cache-Control", "only-if-cached").statusCode());
        assertEquals(0, origin.count("GET", "/fresh"));
        get("/fresh");
        HttpResponse<String> cached = get("/fresh", "Cache-Control", "only-if-cached");
        assertEquals(200, cached.statusCode());
        assertTrue(cached.body().startsWith("fresh"));
    }

    /**
     * RFC 9111 5.2.1.7: with {@code only-if-cached} a cache answers from what it has stored or with a 504, and never
     * forwards the request. A request that also says {@code no-store}, which this proxy passes to the origin, was
     * forwarded: the origin was called, and a stored response that could answer it was not used.
     */
    @Test
    void onlyIfCachedIsNeverForwardedWhenTheRequestAlsoSaysNoStore() throws Exception {
        HttpResponse<String> nothingStored = get("/fresh", "Cache-Control", "no-store, only-if-cached");
        assertEquals(504, nothingStored.statusCode());
        assertEquals(0, origin.count("GET", "/fresh"));
        assertEquals("fresh 1", getStored("/fresh").body());
        HttpResponse<String> cached = get("/fresh", "Cache-Control", "no-store, only-if-cached");
        assertEquals(200, cached.statusCode());
        assertEquals("fresh 1", cached.body());
        assertEquals(1, origin.count("GET", "/fresh"));
    }
}
