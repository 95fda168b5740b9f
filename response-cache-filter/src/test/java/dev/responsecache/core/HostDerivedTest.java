package dev.responsecache.core;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which stored responses name the request's host, so that they are matched on it. */
class HostDerivedTest {

    private static final FakeRequest REQUEST = FakeRequest.get("/p", null).withHeader("Host", "Shop.Example:8080");
    private static final List<CacheEntry.VaryValue> ON_HOST = List.of(
            new CacheEntry.VaryValue("host", "Shop.Example:8080"), new CacheEntry.VaryValue("x-forwarded-host", null),
            new CacheEntry.VaryValue("x-forwarded-proto", null), new CacheEntry.VaryValue("x-forwarded-port", null),
            new CacheEntry.VaryValue("forwarded", null));

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
            assertEquals(List.of(), of(List.of(), before + " /shop.example"), before);
        }
    }

    @Test
    void relativeUrisAndOtherHostsAreSharedAcrossHosts() {
        assertEquals(List.of(), of(List.of(new Header("Location", "/next")), "see /p and shop.example"));
        assertEquals(List.of(), of(List.of(new Header("Link", "<https://cdn.example/a>")), "//cdn.example/"));
        assertEquals(List.of(), HostDerived.varyValues(FakeRequest.get("/p", null), List.of(), new byte[0]));
    }
}
