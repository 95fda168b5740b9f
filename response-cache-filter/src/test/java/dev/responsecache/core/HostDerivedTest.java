package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which stored responses name the request's host, so that they are matched on it. */
class HostDerivedTest {

    private static final FakeRequest REQUEST = FakeRequest.get("/p", null).withHeader("Host", "Shop.Example:8080");
    private static final List<CacheEntry.VaryValue> ON_HOST = List.of(
            new CacheEntry.VaryValue("host", "Shop.Example:8080"), new CacheEntry.VaryValue("x-forwarded-host", null),
            new CacheEntry.VaryValue("x-forwarded-proto", null), new CacheEntry.VaryValue("x-forwarded-port", null),
            new CacheEntry.VaryValue(HostDerived.FORWARDED_HOST, null),
            new CacheEntry.VaryValue("x-forwarded-ssl", null), new CacheEntry.VaryValue("x-proxied-https", null),
            new CacheEntry.VaryValue(HostDerived.SEEN_ORIGIN, "http://shop.example:8080"));

    private static List<CacheEntry.VaryValue> of(List<Header> headers, String body) {
        return HostDerived.varyValues(REQUEST, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAbsoluteUriToTheRequestsHostInAHeaderOrTheBodyMatchesOnTheHost() {
        assertEquals(ON_HOST, of(List.of(new Header("Location", "https://shop.example:8080/next")), ""));
        assertEquals(ON_HOST, of(List.of(new Header("Link", "<//SHOP.example/a>; rel=next")), ""));
        assertEquals(ON_HOST, of(List.of(), "{\"self\":\"http://shop.EXAMPLE:8080/p\"}"));
    }

    @Test
    void aHeaderThatReflectsTheRequestsOriginMatchesOnTheOrigin() {
        FakeRequest request = FakeRequest.get("/p", null).withHeader("Origin", "https://app.example");
        assertEquals(List.of(new CacheEntry.VaryValue("origin", "https://app.example")), HostDerived.varyValues(
                request, List.of(new Header("Access-Control-Allow-Origin", "https://app.example")), new byte[0]));
        assertEquals(List.of(), HostDerived.varyValues(
                request, List.of(new Header("Access-Control-Allow-Origin", "*")), new byte[0]));
    }

    @Test
    void theHostIsFoundInTheBodyAtEveryOffsetAndRightAtItsEnd() {
        for (String before : List.of("", "x", "xy", "/", "x/", "///", "a//b")) {
            assertEquals(ON_HOST, of(List.of(), before + "//shop.example"), before);
            assertEquals(ON_HOST, of(List.of(), before + "//Shop.Example:8080/p" + before), before);
            assertEquals(List.of(), of(List.of(), before + "//shop.exampl"), before);
            assertEquals(List.of(), of(List.of(), before + "hop.example" + before), before);
            assertEquals(ON_HOST, of(List.of(), before + "SHOP.EXAMPLE"), before);
        }
    }

    @Test
    void theHostInAnyEncodingOfItsUrlMatchesOnTheHost() {
        // A login link's next= parameter, a JSON serializer that escapes slashes, HTML entities, a double encoding.
        for (String body : List.of("<a href=\"/login?next=http%3A%2F%2Fshop.example%2Fp\">",
                "{\"self\":\"http:\\/\\/shop.example\"}", "<a href=\"http&#x3a;&#x2f;&#x2f;shop.example&#x2f;\">",
                "next=http%253A%252F%252Fshop.example", "host=shop.example")) {
            assertEquals(ON_HOST, of(List.of(), body), body);
        }
        assertEquals(ON_HOST, of(List.of(new Header("Location", "/login?next=https%3A%2F%2Fshop.example%2Fp")), ""));
    }

    @Test
    void aBodyThatMentionsTheHostsNameIsMatchedOnTheHostToo() {
        // A miss for another host, never another host's page.
        assertEquals(ON_HOST, of(List.of(new Header("Location", "/next")), "see /p and shop.example"));
    }

    @Test
    void anEncodedBodyCannotBeSearchedAndIsMatchedOnTheHost() {
        assertEquals(ON_HOST, of(List.of(new Header("Content-Encoding", "gzip")), "\u001f\u008b"));
        assertEquals(List.of(), of(List.of(new Header("Content-Encoding", "identity")), "plain"));
    }

    @Test
    void aForwardedHostOtherThanTheOneSeenIsSearchedForToo() {
        FakeRequest forwarded = REQUEST.withHeader("X-Forwarded-Host", "evil.example:443");
        List<CacheEntry.VaryValue> values = HostDerived.varyValues(forwarded, List.of(),
                "<a href=\"https://evil.example/\">".getBytes(StandardCharsets.UTF_8));
        assertEquals(new CacheEntry.VaryValue("x-forwarded-host", "evil.example:443"), values.get(1));
        FakeRequest rfc7239 = REQUEST.withHeader("Forwarded", "for=1.2.3.4;host=\"evil.example\";proto=https");
        assertEquals(8, HostDerived.varyValues(rfc7239, List.of(),
                "//evil.example/".getBytes(StandardCharsets.UTF_8)).size());
        assertEquals(List.of(), HostDerived.varyValues(forwarded, List.of(),
                "//cdn.example/".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void moreForwardedHostsThanAreSearchedForAreMatchedOnTheHostWhateverTheBody() {
        // An application may take the last one, past the ones searched for.
        FakeRequest many = REQUEST.withHeader("X-Forwarded-Host", "a.example, b.example, c.example, d.example, evil");
        assertEquals(8, HostDerived.varyValues(many, List.of(), "plain".getBytes(StandardCharsets.UTF_8)).size());
    }

    /**
     * The whole {@code Forwarded} header was matched, with the client's address and port in it ({@code for=}, as a
     * gateway adds by default): every client's request was a miss of an entry that names the host.
     */
    @Test
    void theClientsAddressInForwardedDoesNotSplitAnEntrysMatches() {
        FakeRequest one = REQUEST.withHeader("Forwarded",
                "proto=http;host=\"Shop.Example:8080\";for=\"10.0.0.1:5123\"");
        FakeRequest other = REQUEST.withHeader("Forwarded",
                "proto=http;host=\"shop.example:8080\";for=\"10.0.0.2:6001\"");
        List<CacheEntry.VaryValue> stored = HostDerived.varyValues(one, List.of(),
                "//shop.example/".getBytes(StandardCharsets.UTF_8));
        assertEquals(new CacheEntry.VaryValue(HostDerived.FORWARDED_HOST, "proto=http;host=shop.example:8080"),
                stored.get(4));
        assertEquals(stored.get(4).value(), KeyedValues.header(other, HostDerived.FORWARDED_HOST));
        assertEquals(null, KeyedValues.header(REQUEST.withHeader("Forwarded", "for=10.0.0.3"),
                HostDerived.FORWARDED_HOST));
        assertNotEquals(stored.get(4).value(), KeyedValues.header(REQUEST.withHeader("Forwarded",
                "proto=http;host=evil.example"), HostDerived.FORWARDED_HOST));
    }

    /**
     * A forwarded host made to defeat the search's skips ({@code b} and two thousand {@code a}s) against a body of
     * {@code a}s cost seconds of CPU per miss: a name that is not a plain host name is taken to be named unsearched,
     * and any search gives up, taking the host to be named, past a few passes' worth of comparisons.
     */
    @Test
    void hostMadeToDefeatTheSearchIsTakenToBeNamedWithoutALongSearch() {
        byte[] body = "a".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        FakeRequest odd = REQUEST.withHeader("X-Forwarded-Host", "b" + "a".repeat(2000));
        assertEquals(8, HostDerived.varyValues(odd, List.of(), body).size());
        FakeRequest plain = REQUEST.withHeader("X-Forwarded-Host", "b" + "a".repeat(200));
        assertEquals(8, HostDerived.varyValues(plain, List.of(), body).size(), "the search gave up: named");
        assertTrue(AsciiSearch.containsIgnoringCase(body, "b" + "a".repeat(200)), "gave up, so taken as found");
        assertFalse(AsciiSearch.containsIgnoringCase(body, "b"), "a short text is searched to the end");
    }

    /**
     * Over HTTP/2 ({@code :authority}), with an absolute-form request target or over TLS the runtime's host or scheme
     * is not what {@code Host} says: an entry naming its host is matched on the origin the runtime saw as well.
     */
    @Test
    void anEntryNamingItsHostIsMatchedOnTheOriginTheRuntimeSaw() {
        CacheEntry entry = entry(HostDerived.varyValues(REQUEST, List.of(), bytes("//shop.example:8080/p")));
        assertTrue(FreshnessRules.varyMatches(entry, REQUEST));
        assertFalse(FreshnessRules.varyMatches(entry, seenAt(REQUEST, "https://shop.example:8080")));
        assertFalse(FreshnessRules.varyMatches(entry, seenAt(REQUEST, "http://evil.example:8080")));
        assertTrue(FreshnessRules.varyMatches(entry, seenAt(REQUEST, "http://shop.example:8080")));
    }

    /** A forwarding header that switches the scheme to https makes a page linking to http:// another's. */
    @Test
    void headersSwitchingTheSchemeAreMatchedOnAnEntryNamingItsHost() {
        CacheEntry entry = entry(of(List.of(new Header("Location", "http://shop.example:8080/next")), ""));
        assertTrue(FreshnessRules.varyMatches(entry, REQUEST));
        assertFalse(FreshnessRules.varyMatches(entry, REQUEST.withHeader("X-Forwarded-Ssl", "on")));
        assertFalse(FreshnessRules.varyMatches(entry, REQUEST.withHeader("X-Proxied-Https", "on")));
    }

    /** Fail closed: a request whose host or origin cannot be read stores an entry that answers no request. */
    @Test
    void anEntryForARequestWhoseHostOrOriginIsUnknownIsNeverMatched() {
        CacheRequest unknown = seenAt(FakeRequest.get("/p", null), null);
        List<CacheEntry.VaryValue> values = HostDerived.varyValues(unknown, List.of(), bytes("plain"));
        assertEquals(8, values.size(), "named, since the host cannot be searched for");
        assertFalse(FreshnessRules.varyMatches(entry(values), unknown));
        assertFalse(FreshnessRules.varyMatches(entry(values), FakeRequest.get("/p", null)));
    }

    /** A request addressed to no host (an in-memory dispatch) shares entries with such requests alone. */
    @Test
    void anEntryForARequestAddressedToNoHostAnswersOnlySuchRequests() {
        CacheRequest none = seenAt(FakeRequest.get("/p", null), "");
        CacheEntry entry = entry(HostDerived.varyValues(none, List.of(), bytes("localhost")));
        assertTrue(FreshnessRules.varyMatches(entry, none));
        assertFalse(FreshnessRules.varyMatches(entry, seenAt(FakeRequest.get("/p", null), "http://localhost:80")));
    }

    /** Entries naming their host written before the origin was recorded miss once, then are stored with it. */
    @Test
    void anEntryNamingItsHostWrittenWithoutTheOriginIsNotMatched() {
        CacheEntry before = entry(ON_HOST.subList(0, 5));
        assertFalse(FreshnessRules.varyMatches(before, REQUEST));
        CacheEntry byVary = entry(List.of(new CacheEntry.VaryValue("host", "Shop.Example:8080")));
        assertTrue(FreshnessRules.varyMatches(byVary, REQUEST), "a Vary: Host of the application's own");
    }

    /**
     * {@code Host} is read as sent when it names the authority the runtime saw; otherwise (HTTP/2 sends none; an
     * absolute-form target may name another host) both are read, equal to no {@code Host} sent: a page built from the
     * header, or from the server name, answers only requests that read alike on both.
     */
    @Test
    void hostIsReadAsSentOnlyWhenItNamesTheAuthorityTheRuntimeSaw() {
        FakeRequest none = FakeRequest.get("/p", null);
        assertEquals("Shop.Example:8080", KeyedValues.header(seenAt(REQUEST, "http://shop.example:8080"), "host"));
        FakeRequest plain = FakeRequest.get("/p", null).withHeader("Host", "shop.example");
        assertEquals("shop.example", KeyedValues.header(seenAt(plain, "https://shop.example:443"), "Host"));
        FakeRequest withDefaultPort = FakeRequest.get("/p", null).withHeader("Host", "shop.example:443");
        assertEquals("shop.example:443",
                KeyedValues.header(seenAt(withDefaultPort, "https://shop.example:443"), "host"));
        assertEquals("[::1]", KeyedValues.header(seenAt(none.withHeader("Host", "[::1]"), "http://[::1]:80"), "host"));

        String http2 = KeyedValues.header(seenAt(none, "https://shop.example:443"), "host");
        assertNotEquals("shop.example", http2, "HTTP/2 and an HTTP/1.1 visitor of the host read apart");
        assertNotEquals(http2, KeyedValues.header(seenAt(none, "https://shop.example:8443"), "host"));
        String absolute = KeyedValues.header(seenAt(REQUEST, "http://evil.example:8080"), "host");
        assertNotEquals("Shop.Example:8080", absolute, "an absolute-form target naming another host reads apart");
        assertNotEquals(absolute, KeyedValues.header(seenAt(REQUEST, "http://other.example:8080"), "host"));
        assertNotEquals(http2, KeyedValues.header(seenAt(none.withHeader("Host", ""), "https://shop.example:443"),
                "host"), "an empty Host is not an absent one");
        assertEquals("Shop.Example:8080", KeyedValues.header(seenAt(REQUEST, null), "host"), "origin unknown: as sent");
        assertEquals(null, KeyedValues.header(seenAt(none, null), "host"));
    }

    @Test
    void theOriginIsWrittenOneWayWhateverTheRuntimeGivesForIt() {
        assertEquals("http://shop.example:80", CacheRequest.origin("HTTP", "Shop.Example", -1));
        assertEquals("http://shop.example:80", CacheRequest.origin("http", "shop.example", 80));
        assertEquals("https://shop.example:443", CacheRequest.origin("https", "shop.example", -1));
        assertEquals("https://[::1]:8443", CacheRequest.origin("https", "[::1]", 8443));
        assertEquals("https://[::1]:8443", CacheRequest.origin("https", "::1", 8443));
        assertEquals(null, CacheRequest.origin("http", null, 80));
        assertEquals(null, CacheRequest.origin(null, "shop.example", 80));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static CacheEntry entry(List<CacheEntry.VaryValue> vary) {
        return new CacheEntry("k", 200, List.of(), new byte[0], 0, 60_000, vary);
    }

    private static CacheRequest seenAt(FakeRequest request, String origin) {
        return new SeenAtRequest(request, origin);
    }

    @Test
    void relativeUrisAndOtherHostsAreSharedAcrossHosts() {
        assertEquals(List.of(), of(List.of(new Header("Location", "/next")), "see /p"));
        assertEquals(List.of(), of(List.of(new Header("Link", "<https://cdn.example/a>")), "//cdn.example/"));
        assertEquals(List.of(), HostDerived.varyValues(FakeRequest.get("/p", null), List.of(), new byte[0]));
    }
}
