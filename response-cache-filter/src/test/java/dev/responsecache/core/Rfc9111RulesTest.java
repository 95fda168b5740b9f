package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The header-driven mode's decisions as tables: one row per rule, named after the RFC section that states it. A
 * response is stored at T0 (the request went forward at T0 too), then used {@code now} seconds later.
 */
class Rfc9111RulesTest {

    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final String DATE_T0 = "Thu, 01 Jan 2026 00:00:00 GMT";
    private static final String DATE_T1H = "Thu, 01 Jan 2026 01:00:00 GMT";
    private static final long CAP = CachePolicy.MAX_TTL.toMillis();
    private static final HeaderModeSettings APP = new HeaderModeSettings(false, 0, false, 3_600_000);
    private static final HeaderModeSettings PROXY = new HeaderModeSettings(false, 0, true, 3_600_000);

    private static List<Header> headers(String spec) {
        List<Header> headers = new ArrayList<>();
        if (!spec.isEmpty()) {
            for (String line : spec.split("\\|")) {
                int colon = line.indexOf(':');
                headers.add(new Header(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
        }
        return headers;
    }

    private static CacheEntry stored(int status, String responseHeaders, HeaderModeSettings settings) {
        Rfc9111Rules.Storage storage = Rfc9111Rules.storage(status, headers(responseHeaders), "X-Cache", T0, T0,
                false, settings, CAP);
        assertNull(storage.refusal(), "stored");
        return new CacheEntry("k", status, storage.headers(), new byte[0], storage.generatedAtMillis(),
                storage.keepUntilMillis(), List.of());
    }

    static Stream<Arguments> uses() {
        return Stream.of(
                // name, response headers, request Cache-Control, now (s), settings, expected
                row("RFC 9111 4.2.1 max-age: fresh before it", "Cache-Control: max-age=60", null, 59,
                        APP, "FRESH"),
                row("RFC 9111 4.2.1 max-age: stale at it", "Cache-Control: max-age=60|ETag: \"a\"", null, 60,
                        APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.1 s-maxage wins over max-age", "Cache-Control: max-age=10, s-maxage=60", null,
                        30, APP, "FRESH"),
                row("RFC 9111 4.2.1 max-age wins over Expires", "Cache-Control: max-age=10|Date: " + DATE_T0
                        + "|Expires: Thu, 01 Jan 2026 01:00:00 GMT|ETag: \"a\"", null, 30, APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.1 Expires minus Date", "Date: " + DATE_T0
                        + "|Expires: Thu, 01 Jan 2026 00:01:00 GMT", null, 59, APP, "FRESH"),
                row("RFC 9111 4.2.1 Expires minus Date: stale after", "Date: " + DATE_T0
                        + "|Expires: Thu, 01 Jan 2026 00:01:00 GMT|ETag: \"a\"", null, 61, APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.3 upstream Age counts against max-age", "Cache-Control: max-age=60|Age: 50"
                        + "|ETag: \"a\"", null, 10, APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.3 upstream Age: fresh for what is left", "Cache-Control: max-age=60|Age: 50",
                        null, 9, APP, "FRESH"),
                row("RFC 9111 4.2.2 no heuristic freshness by default", "ETag: \"a\"", null, 0, APP,
                        "MUST_REVALIDATE"),
                row("RFC 9111 4.2.2 heuristic freshness when configured", "Last-Modified: " + DATE_T0, null, 59,
                        new HeaderModeSettings(false, 60_000, false, 0), "FRESH"),
                row("RFC 9111 5.2.2.4 no-cache: revalidated even when fresh", "Cache-Control: no-cache, max-age=60"
                        + "|ETag: \"a\"", null, 1, APP, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.2.4 no-cache=field: the rest is used", "Cache-Control: no-cache=\"X-A\", "
                        + "max-age=60|X-A: 1", null, 1, APP, "FRESH"),
                row("RFC 9111 5.2.1.4 client no-cache honoured in proxy mode", "Cache-Control: max-age=60", "no-cache",
                        1, PROXY, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.4 client no-cache ignored in application mode", "Cache-Control: max-age=60",
                        "no-cache", 1, APP, "FRESH"),
                row("RFC 9111 5.2.1.1 request max-age: older is revalidated", "Cache-Control: max-age=60",
                        "max-age=10", 11, PROXY, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.1 request max-age: younger is used", "Cache-Control: max-age=60", "max-age=10",
                        10, PROXY, "FRESH"),
                row("RFC 9111 5.2.1.3 min-fresh: too little left", "Cache-Control: max-age=60", "min-fresh=30", 31,
                        PROXY, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.3 min-fresh: enough left", "Cache-Control: max-age=60", "min-fresh=30", 30,
                        PROXY, "FRESH"),
                row("RFC 9111 5.2.1.2 max-stale=N accepts that much staleness", "Cache-Control: max-age=60",
                        "max-stale=30", 90, APP, "STALE_SERVABLE"),
                row("RFC 9111 5.2.1.2 max-stale=N: no more", "Cache-Control: max-age=60|ETag: \"a\"",
                        "max-stale=30", 91, APP, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.2 max-stale without a value accepts any", "Cache-Control: max-age=60"
                        + "|ETag: \"a\"", "max-stale", 3000, APP, "STALE_SERVABLE"),
                row("RFC 9111 5.2.2.2 must-revalidate overrides max-stale", "Cache-Control: max-age=60, "
                        + "must-revalidate|ETag: \"a\"", "max-stale", 61, APP, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.2.8 proxy-revalidate overrides max-stale", "Cache-Control: max-age=60, "
                        + "proxy-revalidate|ETag: \"a\"", "max-stale", 61, APP, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.2.10 s-maxage implies proxy-revalidate", "Cache-Control: s-maxage=60"
                        + "|ETag: \"a\"", "max-stale", 61, APP, "MUST_REVALIDATE"),
                row("RFC 8246 immutable: a client reload does not revalidate a fresh response",
                        "Cache-Control: max-age=60, immutable", "no-cache", 1, PROXY, "FRESH"),
                row("RFC 5861 3 stale-while-revalidate window", "Cache-Control: max-age=60, "
                        + "stale-while-revalidate=30", null, 89, APP, "STALE_WHILE_REVALIDATE"),
                row("RFC 5861 3 stale-while-revalidate: past the window", "Cache-Control: max-age=60, "
                        + "stale-while-revalidate=30|ETag: \"a\"", null, 90, APP, "MUST_REVALIDATE"),
                row("RFC 5861 3 stale-while-revalidate window starts at expiry", "Cache-Control: max-age=60, "
                        + "stale-while-revalidate=30", null, 60, APP, "STALE_WHILE_REVALIDATE"),
                row("RFC 5861 3 stale-while-revalidate counts upstream Age", "Cache-Control: max-age=60, "
                        + "stale-while-revalidate=30|Age: 50|ETag: \"a\"", null, 40, APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.4 must-revalidate forbids stale-while-revalidate", "Cache-Control: max-age=60, "
                        + "stale-while-revalidate=30, must-revalidate|ETag: \"a\"", null, 61, APP,
                        "MUST_REVALIDATE"),
                row("RFC 9111 4.2.4 proxy-revalidate forbids stale-while-revalidate", "Cache-Control: max-age=60, "
                        + "stale-while-revalidate=30, proxy-revalidate|ETag: \"a\"", null, 61, APP,
                        "MUST_REVALIDATE"),
                row("RFC 9111 4.2.4 s-maxage forbids stale-while-revalidate", "Cache-Control: s-maxage=60, "
                        + "stale-while-revalidate=30|ETag: \"a\"", null, 61, APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.4 no-cache forbids stale-while-revalidate", "Cache-Control: no-cache, "
                        + "stale-while-revalidate=30|ETag: \"a\"", null, 1, APP, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.4 client no-cache in proxy mode revalidates within stale-while-revalidate",
                        "Cache-Control: max-age=60, stale-while-revalidate=30|ETag: \"a\"", "no-cache", 61, PROXY,
                        "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.2 max-stale within stale-while-revalidate: served without a refresh",
                        "Cache-Control: max-age=60, stale-while-revalidate=30", "max-stale=10", 65, APP,
                        "STALE_SERVABLE"),
                row("RFC 5861 3 only-if-cached accepts a stale-while-revalidate answer", "Cache-Control: "
                        + "max-age=60, stale-while-revalidate=30", "only-if-cached", 61, APP,
                        "STALE_WHILE_REVALIDATE"),
                row("RFC 9111 5.2.1.7 only-if-cached: fresh is answered", "Cache-Control: max-age=60",
                        "only-if-cached", 1, APP, "FRESH"),
                row("RFC 9111 5.2.1.7 only-if-cached: stale is a 504", "Cache-Control: max-age=60|ETag: \"a\"",
                        "only-if-cached", 61, APP, "ONLY_IF_CACHED_MISS"),
                row("RFC 9111 4.2.1, 5.3 negative max-age is stale and voids a later Expires",
                        "Cache-Control: max-age=-1|Date: " + DATE_T0 + "|Expires: " + DATE_T1H + "|ETag: \"a\"", null,
                        1, APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.1 non-numeric max-age is stale", "Cache-Control: max-age=abc|Date: " + DATE_T0
                        + "|Expires: " + DATE_T1H + "|ETag: \"a\"", null, 1, PROXY, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.1 max-age without its value is stale", "Cache-Control: max-age|Date: " + DATE_T0
                        + "|Expires: " + DATE_T1H + "|ETag: \"a\"", null, 1, APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.1 max-age given twice with different values is stale",
                        "Cache-Control: max-age=60, max-age=3600|ETag: \"a\"", null, 1, APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.1 max-age given twice with the same value is fresh",
                        "Cache-Control: max-age=60|Cache-Control: max-age=60", null, 59, APP, "FRESH"),
                row("RFC 9111 4.2.1 invalid s-maxage is stale, whatever max-age says",
                        "Cache-Control: s-maxage=-1, max-age=60|ETag: \"a\"", null, 1, APP, "MUST_REVALIDATE"),
                row("RFC 9111 4.2.1 invalid max-age is stale even to a heuristic",
                        "Cache-Control: max-age=soon|Last-Modified: " + DATE_T0, null, 1,
                        new HeaderModeSettings(false, 600_000, false, 3_600_000), "MUST_REVALIDATE"),
                row("RFC 5861 3 invalid stale-while-revalidate gives no window", "Cache-Control: max-age=60, "
                        + "stale-while-revalidate=-30|ETag: \"a\"", null, 61, APP, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.1 non-numeric request max-age is revalidated", "Cache-Control: max-age=60",
                        "max-age=abc", 1, PROXY, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.1 request max-age given twice with different values is revalidated",
                        "Cache-Control: max-age=60", "max-age=3600, max-age=10", 1, PROXY, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.3 negative min-fresh is revalidated", "Cache-Control: max-age=60",
                        "min-fresh=-5", 1, PROXY, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.2 non-numeric max-stale accepts no staleness", "Cache-Control: max-age=60"
                        + "|ETag: \"a\"", "max-stale=abc", 61, APP, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.2 negative max-stale accepts no staleness", "Cache-Control: max-age=60"
                        + "|ETag: \"a\"", "max-stale=-1", 61, APP, "MUST_REVALIDATE"),
                row("RFC 9111 5.2.1.2 max-stale given with and without a value accepts no staleness",
                        "Cache-Control: max-age=60|ETag: \"a\"", "max-stale, max-stale=5", 100, APP,
                        "MUST_REVALIDATE"));
    }

    private static Arguments row(String name, String response, String request, long nowSeconds,
                                 HeaderModeSettings settings, String expected) {
        return Arguments.of(name, response, request, nowSeconds, settings, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("uses")
    void whatAStoredResponseMayBeUsedFor(String name, String response, String request, long nowSeconds,
                                         HeaderModeSettings settings, String expected) {
        CacheEntry entry = stored(200, response, settings);
        assertEquals(Rfc9111Rules.Use.valueOf(expected), Rfc9111Rules.use(T0 + nowSeconds * 1000,
                CacheControl.ofRequest(request), entry, settings, CAP));
    }

    static Stream<Arguments> storage() {
        return Stream.of(
                // name, status, response headers, request had Authorization, expected refusal ("" = stored)
                Arguments.of("RFC 9111 3 explicit freshness is storable", 200, "Cache-Control: max-age=60", false,
                        ""),
                Arguments.of("RFC 9111 5.2.2.5 no-store is never stored", 200, "Cache-Control: no-store, "
                        + "max-age=60", false, "no-store"),
                Arguments.of("RFC 9111 5.2.2.7 private is not stored by a shared cache", 200,
                        "Cache-Control: private, max-age=60", false, "private"),
                Arguments.of("RFC 9111 5.2.2.7 private=field: the rest is stored", 200,
                        "Cache-Control: private=\"X-User\", max-age=60|X-User: ann", false, ""),
                Arguments.of("RFC 9111 5.2.2.4 no-cache without a validator is useless", 200,
                        "Cache-Control: no-cache", false, "no-cache"),
                Arguments.of("RFC 9111 5.2.2.4 no-cache with a validator is stored", 200,
                        "Cache-Control: no-cache|ETag: \"a\"", false, ""),
                Arguments.of("RFC 9110 15.1 heuristically cacheable 404 with a validator", 404, "ETag: \"a\"",
                        false, ""),
                Arguments.of("RFC 9110 15.1 302 is not heuristically cacheable", 302, "ETag: \"a\"", false,
                        "status"),
                Arguments.of("RFC 9110 15.1 302 with explicit freshness is storable", 302,
                        "Cache-Control: max-age=60", false, ""),
                Arguments.of("RFC 9111 3 no lifetime and no validator: nothing to store", 200, "", false,
                        "no-lifetime"),
                Arguments.of("RFC 9111 3 a 206 is not stored (no range support)", 206, "Cache-Control: max-age=60",
                        false, "status"),
                Arguments.of("RFC 9111 3 a 5xx is never stored", 503, "Cache-Control: max-age=60", false,
                        "status"),
                Arguments.of("RFC 9111 4.1 Vary: * is never matched", 200, "Cache-Control: max-age=60|Vary: *",
                        false, "vary-star"),
                Arguments.of("RFC 9111 3.5 Authorization: not stored without a shared directive", 200,
                        "Cache-Control: max-age=60", true, "authorization"),
                Arguments.of("RFC 9111 3.5 Authorization: public allows it", 200,
                        "Cache-Control: public, max-age=60", true, ""),
                Arguments.of("RFC 9111 3.5 Authorization: s-maxage allows it", 200,
                        "Cache-Control: s-maxage=60", true, ""),
                Arguments.of("RFC 9111 3.5 Authorization: must-revalidate allows it", 200,
                        "Cache-Control: max-age=60, must-revalidate", true, ""),
                Arguments.of("RFC 9111 4.2.1 invalid max-age and no validator: not stored, whatever Expires says",
                        200, "Cache-Control: max-age=-1|Date: " + DATE_T0 + "|Expires: " + DATE_T1H, false,
                        "no-lifetime"),
                Arguments.of("RFC 9111 4.2.1 invalid max-age with a validator: stored stale, to be revalidated",
                        200, "Cache-Control: max-age=-1|Date: " + DATE_T0 + "|Expires: " + DATE_T1H
                        + "|ETag: \"a\"", false, ""),
                Arguments.of("RFC 9111 4.2.1 Expires already past and no validator: not stored", 200,
                        "Date: " + DATE_T0 + "|Expires: 0", false, "no-lifetime"),
                Arguments.of("Set-Cookie is one user's response, whatever it says", 200,
                        "Cache-Control: public, max-age=60|Set-Cookie: a=b", false, "set-cookie"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storage")
    void whatMayBeStored(String name, int status, String response, boolean authorized, String refusal) {
        Rfc9111Rules.Storage storage = Rfc9111Rules.storage(status, headers(response), "X-Cache", T0, T0,
                authorized, APP, CAP);
        assertEquals(refusal.isEmpty() ? null : refusal, storage.refusal());
    }

    @Test
    void rfc9111Section423AgeIsTheLargerOfApparentAgeAndCorrectedAgeValue() {
        // Date says 30 s ago; Age says 10 s; the request took 2 s: corrected initial age is max(30, 12) = 30 s.
        List<Header> response = headers("Date: " + DATE_T0 + "|Age: 10|Cache-Control: max-age=60");
        assertEquals(30_000, Rfc9111Rules.correctedInitialAge(response, T0 + 28_000, T0 + 30_000));
        // Date in the future of this clock: the Age and the delay count, never a negative age.
        assertEquals(12_000, Rfc9111Rules.correctedInitialAge(response, T0 - 4_000, T0 - 2_000));
        Rfc9111Rules.Storage storage = Rfc9111Rules.storage(200, response, "X-Cache", T0 + 28_000, T0 + 30_000,
                false, APP, CAP);
        assertEquals(T0, storage.generatedAtMillis());
    }

    @Test
    void rfc9110Section761HopByHopAndConnectionNamedFieldsAreNeverStored() {
        List<Header> kept = Rfc9111Rules.storedHeaders(headers("Connection: close, X-Hop|X-Hop: 1|Keep-Alive: 5"
                + "|Transfer-Encoding: chunked|Age: 3|X-Cache: MISS|Content-Type: text/plain|Date: " + DATE_T0),
                "X-Cache");
        assertEquals(headers("Content-Type: text/plain|Date: " + DATE_T0), kept);
    }

    @Test
    void rfc9111Section5227PrivateAndNoCacheFieldNamesAreStrippedAndTheRestStored() {
        List<Header> kept = Rfc9111Rules.storedHeaders(headers("Cache-Control: private=\"X-User, X-Token\", "
                + "no-cache=\"X-Debug\", max-age=60|X-User: ann|X-Token: t|X-Debug: d|X-Shared: s"), "X-Cache");
        assertEquals(headers("Cache-Control: private=\"X-User, X-Token\", no-cache=\"X-Debug\", max-age=60"
                + "|X-Shared: s"), kept);
    }

    @Test
    void rfc9111Section434A304UpdatesTheStoredHeadersButNotTheFraming() {
        List<Header> merged = Rfc9111Rules.refreshed(
                headers("Content-Type: text/plain|ETag: \"a\"|Cache-Control: max-age=1|X-Old: 1"),
                headers("Cache-Control: max-age=120|Content-Length: 0|Content-Type: text/html|Connection: close"),
                "X-Cache");
        assertEquals(headers("Content-Type: text/plain|ETag: \"a\"|X-Old: 1|Cache-Control: max-age=120"), merged);
    }

    static Stream<Arguments> validations() {
        String stored = "ETag: \"v1\"|Last-Modified: " + DATE_T0;
        return Stream.of(
                Arguments.of("sameStrongTagUpdates", stored, "ETag: \"v1\"", true),
                Arguments.of("anotherStrongTagUpdatesNothing", stored, "ETag: \"v2\"", false),
                Arguments.of("aStrongTagForAStoredWeakOneMatchesWeakly", "ETag: W/\"v1\"", "ETag: \"v1\"", true),
                Arguments.of("aWeakTagForAStoredStrongOneMatchesWeakly", stored, "ETag: W/\"v1\"", true),
                Arguments.of("anotherWeakTagUpdatesNothing", "ETag: W/\"v1\"", "ETag: W/\"v2\"", false),
                Arguments.of("aTagWhereNoneIsStoredUpdatesNothing", "Last-Modified: " + DATE_T0, "ETag: \"v1\"",
                        false),
                Arguments.of("theSameDateUpdates", stored, "Last-Modified: " + DATE_T0, true),
                Arguments.of("anotherDateUpdatesNothing", stored, "Last-Modified: Thu, 01 Jan 2026 00:00:01 GMT",
                        false),
                Arguments.of("aDateWhereNoneIsStoredUpdatesNothing", "ETag: \"v1\"", "Last-Modified: " + DATE_T0,
                        false),
                Arguments.of("theTagDecidesOverTheDate", stored,
                        "ETag: \"v1\"|Last-Modified: Thu, 01 Jan 2026 00:00:01 GMT", true),
                Arguments.of("anotherTagWithTheSameDateUpdatesNothing", stored,
                        "ETag: \"v2\"|Last-Modified: " + DATE_T0, false),
                Arguments.of("noValidatorUpdatesWhatItAnswers", stored, "Cache-Control: max-age=60", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validations")
    void rfc9111Section434A304UpdatesOnlyTheStoredResponseItsValidatorsIdentify(String name, String stored,
                                                                               String notModified, boolean updates) {
        assertEquals(updates, Rfc9111Rules.validates(headers(stored), headers(notModified), T0), name);
    }

    @Test
    void revalidationSendsTheOriginsEtagAloneSoADateOnlyOriginNever304sAnotherRepresentation() {
        CacheEntry entry = stored(200, "ETag: \"v1\"|Last-Modified: " + DATE_T0, APP);
        assertEquals(headers("If-None-Match: \"v1\""), Rfc9111Rules.conditionalHeaders(entry));
    }

    @Test
    void revalidationWithoutAnEtagSendsTheStoredLastModified() {
        CacheEntry entry = stored(200, "Cache-Control: max-age=60|Last-Modified: " + DATE_T0, APP);
        assertEquals(headers("If-Modified-Since: " + DATE_T0), Rfc9111Rules.conditionalHeaders(entry));
    }

    @Test
    void revalidationNeverSendsTheEtagTheCacheDerivedFromTheBody() {
        byte[] body = "body 1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String derived = ETags.strongFromBody(body, body.length);
        CacheEntry tagged = new CacheEntry("k", 200, headers("Last-Modified: " + DATE_T0), body, T0, T0 + 60_000,
                List.of()).withDerivedETag(derived);
        assertEquals(headers("If-Modified-Since: " + DATE_T0), Rfc9111Rules.conditionalHeaders(tagged));
        CacheEntry onlyDerived = new CacheEntry("k", 200, List.of(), body, T0, T0 + 60_000, List.of())
                .withDerivedETag(derived);
        assertEquals(List.of(), Rfc9111Rules.conditionalHeaders(onlyDerived));
    }

    @Test
    void revalidationSendsAnOriginsEtagEqualToTheOneTheCacheWouldDeriveFromTheBody() {
        // An origin running this library in the ttl mode issues the tag the cache derives from the same body.
        byte[] body = "body 1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String originTag = ETags.strongFromBody(body, body.length);
        CacheEntry entry = new CacheEntry("k", 200, headers("ETag: " + originTag + "|Last-Modified: " + DATE_T0),
                body, T0, T0 + 60_000, List.of());
        assertEquals(headers("If-None-Match: " + originTag), Rfc9111Rules.conditionalHeaders(entry));
    }

    @Test
    void rfc9110Section1313IfModifiedSinceIsAnsweredOnlyWithoutIfNoneMatch() {
        CacheEntry entry = stored(200, "Cache-Control: max-age=60|Last-Modified: " + DATE_T0, APP);
        FakeRequest request = FakeRequest.get("/a", null).withHeader("If-Modified-Since",
                "Thu, 01 Jan 2026 00:00:10 GMT");
        assertTrue(Rfc9111Rules.notModifiedSince(request, entry, T0));
        assertFalse(Rfc9111Rules.notModifiedSince(request.withHeader("If-None-Match", "\"x\""), entry, T0));
        assertFalse(Rfc9111Rules.notModifiedSince(FakeRequest.get("/a", null).withHeader("If-Modified-Since",
                "Wed, 31 Dec 2025 23:59:59 GMT"), entry, T0));
    }

    @Test
    void rfc5861Section4StaleIfErrorServesOnErrorUnlessRevalidationIsRequired() {
        CacheEntry entry = stored(200, "Cache-Control: max-age=60, stale-if-error=600", APP);
        assertFalse(Rfc9111Rules.servesOnError(T0 + 59_000, CacheControl.NONE, entry, APP, CAP));
        assertTrue(Rfc9111Rules.servesOnError(T0 + 60_000, CacheControl.NONE, entry, APP, CAP));
        assertFalse(Rfc9111Rules.servesOnError(T0 + 660_000, CacheControl.NONE, entry, APP, CAP));
        CacheEntry strict = stored(200, "Cache-Control: max-age=60, stale-if-error=600, must-revalidate", APP);
        assertFalse(Rfc9111Rules.servesOnError(T0 + 61_000, CacheControl.NONE, strict, APP, CAP));
    }

    static Stream<Arguments> errorUses() {
        return Stream.of(
                // name, response headers, request Cache-Control, now (s), serves the stale entry on an error
                errorRow("RFC 5861 4 stale-if-error: fresh is no error case", "max-age=60, stale-if-error=600",
                        null, 59, false),
                errorRow("RFC 5861 4 stale-if-error: from expiry", "max-age=60, stale-if-error=600", null, 60,
                        true),
                errorRow("RFC 5861 4 stale-if-error: not past the window", "max-age=60, stale-if-error=600", null,
                        660, false),
                errorRow("RFC 5861 4 request stale-if-error permits what the response does not say",
                        "max-age=60", "stale-if-error=30", 89, true),
                errorRow("RFC 5861 4 request stale-if-error: not past its window", "max-age=60",
                        "stale-if-error=30", 90, false),
                errorRow("RFC 5861 4 the longer of the request's and the response's windows", "max-age=60, "
                        + "stale-if-error=10", "stale-if-error=30", 80, true),
                errorRow("RFC 5861 3 stale-while-revalidate alone does not answer errors", "max-age=60, "
                        + "stale-while-revalidate=30", null, 61, false),
                errorRow("RFC 9111 4.2.4 must-revalidate forbids stale-if-error", "max-age=60, "
                        + "stale-if-error=600, must-revalidate", null, 61, false),
                errorRow("RFC 9111 4.2.4 must-revalidate forbids the request's stale-if-error", "max-age=60, "
                        + "must-revalidate", "stale-if-error=600", 61, false),
                errorRow("RFC 9111 4.2.4 proxy-revalidate forbids stale-if-error", "max-age=60, "
                        + "stale-if-error=600, proxy-revalidate", null, 61, false),
                errorRow("RFC 9111 4.2.4 s-maxage forbids stale-if-error", "s-maxage=60, stale-if-error=600",
                        null, 61, false));
    }

    private static Arguments errorRow(String name, String cacheControl, String request, long nowSeconds,
                                      boolean expected) {
        return Arguments.of(name, cacheControl, request, nowSeconds, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorUses")
    void whenAStoredResponseMayReplaceAnError(String name, String cacheControl, String request, long nowSeconds,
                                              boolean expected) {
        CacheEntry entry = stored(200, "Cache-Control: " + cacheControl + "|ETag: \"a\"", APP);
        assertEquals(expected, Rfc9111Rules.servesOnError(T0 + nowSeconds * 1000, CacheControl.ofRequest(request),
                entry, APP, CAP), name);
    }

    static Stream<Arguments> retentions() {
        return Stream.of(
                // name, response Cache-Control, kept past freshness (s), without and with a validator
                Arguments.of("RFC 5861 3 kept for stale-while-revalidate", "max-age=60, stale-while-revalidate=30",
                        30L, 3600L),
                Arguments.of("RFC 5861 4 kept for stale-if-error", "max-age=60, stale-if-error=600", 600L, 3600L),
                Arguments.of("RFC 5861 kept for the longer window", "max-age=60, stale-while-revalidate=7200, "
                        + "stale-if-error=600", 7200L, 7200L),
                Arguments.of("RFC 9111 4.2.4 must-revalidate: no stale window is kept", "max-age=60, "
                        + "stale-while-revalidate=7200, stale-if-error=7200, must-revalidate", 0L, 3600L),
                Arguments.of("RFC 9111 4.2.4 s-maxage: no stale window is kept", "s-maxage=60, "
                        + "stale-while-revalidate=7200", 0L, 3600L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retentions")
    void howLongAStoredResponseIsKeptPastItsFreshness(String name, String cacheControl, long plainSeconds,
                                                      long withValidatorSeconds) {
        Rfc9111Rules.Storage plain = Rfc9111Rules.storage(200, headers("Cache-Control: " + cacheControl), "X-Cache",
                T0, T0, false, APP, CAP);
        Rfc9111Rules.Storage validated = Rfc9111Rules.storage(200, headers("Cache-Control: " + cacheControl
                + "|ETag: \"a\""), "X-Cache", T0, T0, false, APP, CAP);
        assertEquals(plainSeconds == 0 ? T0 + 60_000 : T0 + 60_000 + plainSeconds * 1000, plain.keepUntilMillis(),
                name);
        assertEquals(T0 + 60_000 + withValidatorSeconds * 1000, validated.keepUntilMillis(), name);
    }

    @Test
    void anEndpointTtlCapsTheHeaderFreshness() {
        CacheEntry entry = stored(200, "Cache-Control: max-age=600|ETag: \"a\"", APP);
        assertEquals(Rfc9111Rules.Use.MUST_REVALIDATE, Rfc9111Rules.use(T0 + 61_000, CacheControl.NONE, entry,
                APP, 60_000));
    }

    @Test
    void quotedCommasDoNotSplitDirectivesAndADuplicateWithAnotherValueIsInvalid() {
        CacheControl cc = CacheControl.of(headers("Cache-Control: private=\"A, B\", max-age=5|Cache-Control: "
                + "max-age=9"));
        assertEquals(List.of("a", "b"), cc.fieldNames("private"));
        // RFC 9111 4.2.1: two different lifetimes are invalid freshness information, not the first one's.
        assertEquals(-1, cc.seconds("max-age"));
        assertTrue(cc.invalid("max-age"));
        assertEquals(5_000, CacheControl.of(headers("Cache-Control: max-age=5, max-age=5")).seconds("max-age"));
        assertEquals(-1, CacheControl.ofRequest("max-age=abc").seconds("max-age"));
    }

    @Test
    void badHeaderModeSettingsFailNamingThePropertyAndValue() {
        ResponseCacheConfigException bad = assertThrows(ResponseCacheConfigException.class,
                () -> HeaderModeSettings.from(new PropertyValues(Map.of(ResponseCacheProperties.HEURISTIC_TTL,
                        "soon")::get)));
        assertTrue(bad.getMessage().contains(ResponseCacheProperties.HEURISTIC_TTL) && bad.getMessage()
                .contains("'soon'"), bad.getMessage());
        assertThrows(ResponseCacheConfigException.class, () -> HeaderModeSettings.from(new PropertyValues(
                Map.of(ResponseCacheProperties.REVALIDATION_WINDOW, "999999999s")::get)));
        HeaderModeSettings defaults = HeaderModeSettings.from(new PropertyValues(Map.<String, Object>of()::get));
        assertEquals(HeaderModeSettings.DEFAULTS, defaults);
    }

    @Test
    void anEntryWithAValidatorIsKeptPastItsFreshnessForRevalidation() {
        Rfc9111Rules.Storage storage = Rfc9111Rules.storage(200, headers("Cache-Control: max-age=60|ETag: \"a\""),
                "X-Cache", T0, T0, false, APP, CAP);
        assertEquals(T0 + 60_000 + 3_600_000, storage.keepUntilMillis());
        Rfc9111Rules.Storage plain = Rfc9111Rules.storage(200, headers("Cache-Control: max-age=60"), "X-Cache", T0,
                T0, false, APP, CAP);
        assertEquals(T0 + 60_000, plain.keepUntilMillis());
    }
}
