package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runtimes and containers send other spellings of a path to the same resource (Jersey and RESTEasy a trailing
 * slash, both and every container a percent-encoded character, Tomcat empty and dot segments); an eviction by one
 * spelling left the entries of the others answering the old resource.
 */
class PathSpellingsTest {

    @ParameterizedTest(name = "{0} tags as {1}")
    @CsvSource(delimiter = '|', value = {
        "/items/1                | /items/1",
        "/                       | /",
        "/items/1/               | /items/1",
        "/items/                 | /items",
        "/items/%31              | /items/1",
        "/items/%31/             | /items/1",
        "/%69tems/1              | /items/1",
        "/items/%7e%2D%5F%2E     | /items/~-_.",
        "/items/%21%24%2B%40     | /items/!$+@",
        "/items/a%2fb            | /items/a%2Fb",
        "/items/a%3bb            | /items/a%3Bb",
        "/items/a%3Fb%23c        | /items/a%3Fb%23c",
        "/items/%2531            | /items/%2531",
        "/items/caf%c3%a9        | /items/caf%C3%A9",
        "/items/a%20b%0A         | /items/a%20b%0A",
        "/items/a%2              | /items/a%2",
        "/items/a%zz             | /items/a%zz",
        "//items//1              | /items/1",
        "/items/./1              | /items/1",
        "/items/x/../1           | /items/1",
        "/../items/1             | /items/1",
        "/items/%2e%2e/1         | /1",
        "/items/1;view=short/    | /items/1",
        "/items/1/;x=y           | /items/1",
        "/items/1/?a=b           | /items/1",
    })
    void everySpellingTheRuntimesRouteAlikeTagsAsOnePath(String path, String tag) {
        assertEquals(tag, Invalidations.pathTag(path));
    }

    @ParameterizedTest(name = "{0} and {1} stay apart")
    @CsvSource(delimiter = '|', value = {
        "/items/1   | /Items/1",
        "/items/1   | /items/1%2F",
        "/a%2Fb     | /a/b",
        "/a%3Bb     | /a",
        "/items/%25 | /items/%",
    })
    void pathsTheRuntimesRouteApartKeepTheirOwnTags(String one, String other) {
        assertNotEquals(Invalidations.pathTag(one), Invalidations.pathTag(other));
    }

    @Test
    void filterPathPatternTagsAPathWithATrailingSlashAsThePathWithout() {
        PathPattern pattern = PathPattern.parse("filter", "/items/{id}");
        assertEquals(Map.of("id", "1"), pattern.match("/items/1/"));
        assertEquals(Map.of("id", ""), pattern.match("/items/"));
        assertEquals(Map.of(), pattern.match("/items/1/x"));
        assertEquals(Map.of("id", "1"), PathPattern.parse("filter", "/items/{id}/").match("/items/1/"));
    }

    @Test
    void filterPathPatternWithATrailingSlashTagsThePathWithout() {
        PathPattern pattern = PathPattern.parse("filter", "/items/{id}/");
        assertEquals(Map.of("id", "1"), pattern.match("/items/1"));
        assertEquals(Map.of(), pattern.match("/items/1/x"));
    }

    @ParameterizedTest(name = "{0} names the path a client sends as {1}")
    @CsvSource({"/items/café, /items/caf%C3%A9", "/a b, /a%20b", "/items/caf%c3%a9, /items/caf%C3%A9",
            "/x/\uD83D\uDE00, /x/%F0%9F%98%80"})
    void decodedPathGivenToAPurgeNamesTheEncodedPathClientsSend(String decoded, String sent) {
        assertEquals(Invalidations.pathTag(sent), Invalidations.pathTag(decoded));
    }

    @ParameterizedTest(name = "the URL tag of {0} keeps its spelling")
    @CsvSource({"/items/1/", "/items/%31", "//items/1"})
    void urlTagsKeepTheSpellingAsKeysDo(String path) {
        assertNotEquals(Invalidations.requestTag("/items/1", null), Invalidations.requestTag(path, null));
    }
}
