package dev.responsecache.core;

import dev.responsecache.spi.PropertyValues;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure rules of invalidation: tag templates, path patterns, what an unsafe response evicts. */
class InvalidationRulesTest {

    private static final URI REQUEST = URI.create("http://shop.example:8080/api/products/1?x=y");

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "/api/products/2, /api/products/2",
            "products/3, /api/products/products/3",
            "http://shop.example:8080/api/products/4, /api/products/4",
            "HTTP://SHOP.EXAMPLE:8080/api/p%2F5?q=1, /api/p%2F5",
            "http://other.example:8080/api/products/6, null",
            "http://shop.example/api/products/7, null",
            "https://shop.example:8080/api/products/8, null",
            "'', null",
    })
    void unsafeResponseEvictsSameOriginLocationsOnly(String location, String evicted) {
        assertEquals(evicted, Invalidations.sameOriginPathTag(REQUEST, location));
    }

    @ParameterizedTest
    @CsvSource({"199, false", "200, true", "204, true", "303, true", "399, true", "400, false", "500, false"})
    void onlyASuccessOrRedirectEvicts(int status, boolean evicts) {
        assertEquals(evicts, Invalidations.evictsAfter(status));
    }

    @Test
    void safeMethodsNeverEvict() {
        for (String method : List.of("GET", "HEAD", "OPTIONS", "TRACE")) {
            assertFalse(Invalidations.unsafe(method), method);
        }
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE", "PROPFIND")) {
            assertTrue(Invalidations.unsafe(method), method);
        }
    }

    @Test
    void pathTagDropsTheQueryAndUserTagsMayNotLookLikePaths() {
        assertEquals("/a/b", Invalidations.pathTag("/a/b?c=d"));
        assertThrows(IllegalArgumentException.class, () -> Invalidations.pathTag("a/b"));
        assertThrows(IllegalArgumentException.class, () -> Invalidations.userTag("/a"));
        assertThrows(IllegalArgumentException.class, () -> Invalidations.userTag(" "));
        assertEquals("product:1", Invalidations.userTag("product:1"));
    }

    @Test
    void pathTagOfAMatrixParameterUrlIsItsResourcesPathButItsUrlTagKeepsTheParameters() {
        assertEquals("/items/1", Invalidations.pathTag("/items/1;view=short"));
        assertEquals("/items/1", Invalidations.pathTag("/items/1;view=short;lang=en?a=b"));
        assertEquals("/a/b/c/d", Invalidations.pathTag("/a;x=1/b/c;y=2/d;"));
        assertEquals("/a//b/", Invalidations.withoutMatrixParameters("/a;x//b;y/"));
        assertEquals("/", Invalidations.pathTag("/;jsessionid=abc"));
        assertEquals("/a%3Bb", Invalidations.pathTag("/a%3Bb"));
        assertNotEquals(Invalidations.requestTag("/items/1;view=short", null),
                Invalidations.requestTag("/items/1;view=long", null));
        assertNotEquals(Invalidations.requestTag("/items/1;view=short", null),
                Invalidations.requestTag("/items/1", null));
    }

    @Test
    void requestTagIsTheKeysReadingOfTheQueryAndCannotCollideWithPathsOrParameters() {
        assertEquals(Invalidations.requestTag("/p", "b=2&a=1"), Invalidations.requestTag("/p", "a=%31&b=2"));
        assertEquals(Invalidations.requestTag("/p", null), Invalidations.requestTag("/p", ""));
        assertNotEquals(Invalidations.requestTag("/p", "a=1&b=2"), Invalidations.requestTag("/p", "a=1%26b%3D2"));
        assertNotEquals(Invalidations.requestTag("/p", "a=1&a=2"), Invalidations.requestTag("/p", "a=2&a=1"));
        assertNotEquals(Invalidations.pathTag("/p"), Invalidations.requestTag("/p", null));
        assertNull(Invalidations.requestTag("/p", "a=%E8"));
    }

    @Test
    void tagHeaderValueSplitsOnCommasAndSpacesAndSkipsPathLikeTags() {
        assertEquals(List.of("a", "b:1", "c"), Invalidations.headerTags(" a, b:1  c,,/d "));
        assertEquals(List.of(), Invalidations.headerTags(null));
    }

    @Test
    void tagHeaderMayNotNameAHeaderHttpNeedsOrTheStatusHeader() {
        for (String name : List.of("Vary", "content-type", "X-Cache")) {
            ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class, () -> TagHeader.checked(
                    new PropertyValues(Map.of(ResponseCacheProperties.TAG_HEADER, name)::get)));
            assertTrue(e.getMessage().contains(ResponseCacheProperties.TAG_HEADER) && e.getMessage().contains(name),
                    e.getMessage());
        }
        assertEquals("X-Tags", TagHeader.checked(
                new PropertyValues(Map.of(ResponseCacheProperties.TAG_HEADER, "X-Tags")::get)));
    }

    @Test
    void templateTakesPathAndQueryParametersAndEmptyForAbsentOnes() {
        TagTemplate template = TagTemplate.parse("owner", "product:{id}:{query.lang}", List.of("id"));
        Map<String, String> path = Map.of("id", "42");
        assertEquals("product:42:fr", template.fill(path::get, "a=1&lang=fr&lang=de"));
        assertEquals("product:42:", template.fill(path::get, null));
        assertEquals("products", TagTemplate.parse("owner", "products", List.of()).fill(name -> null, null));
    }

    @Test
    void badTemplatesFailNamingOwnerAndTemplate() {
        for (String bad : List.of("product:{id", "product:}", "product:{}", "product:{other}", " ")) {
            ResponseCacheConfigException e = assertThrows(ResponseCacheConfigException.class,
                    () -> TagTemplate.parse("Resource#get", bad, List.of("id")));
            assertTrue(e.getMessage().startsWith("Resource#get: "), e.getMessage());
        }
    }

    @Test
    void pathPatternMatchesWholeSegments() {
        PathPattern pattern = PathPattern.parse("filter", "/products/{id}/reviews");
        assertEquals(Map.of("id", "7"), pattern.match("/products/7/reviews"));
        assertEquals(Map.of(), pattern.match("/products/7"));
        assertEquals(Map.of(), pattern.match("/orders/7/reviews"));
        assertThrows(ResponseCacheConfigException.class, () -> PathPattern.parse("filter", "products/{id}"));
        assertThrows(ResponseCacheConfigException.class, () -> PathPattern.parse("filter", "/p/x{id}"));
        assertNull(pattern.match("/products/7/reviews").get("other"));
    }
}
