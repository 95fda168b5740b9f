package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Entity tags and their lists, RFC 9110 8.8.3 and 13.1.2, as tables: the one parser every precondition asks. */
class EntityTagsTest {

    /** name, If-None-Match value, stored tag, whether the value names the stored tag. */
    static Stream<Arguments> lists() {
        return Stream.of(
                Arguments.of("sameTag", "\"v1\"", "\"v1\"", true),
                Arguments.of("otherTag", "\"v2\"", "\"v1\"", false),
                Arguments.of("weakComparisonIgnoresTheWeakPrefix", "W/\"v1\"", "\"v1\"", true),
                Arguments.of("weakStoredTagMatchesAStrongOne", "\"v1\"", "W/\"v1\"", true),
                Arguments.of("tagInAList", "\"v0\", \"v1\"", "\"v1\"", true),
                Arguments.of("listWithoutWhitespace", "\"v0\",\"v1\"", "\"v1\"", true),
                Arguments.of("emptyListElementsAreAccepted", " , \"v0\" ,, \"v1\" ,", "\"v1\"", true),
                Arguments.of("commaInsideTheQuotes", "\"v1,en\"", "\"v1,en\"", true),
                Arguments.of("commaTagInAList", "\"v0\", \"v1,en\"", "\"v1,en\"", true),
                Arguments.of("pieceOfACommaTagIsNotTheTag", "\"v1,en\"", "\"v1\"", false),
                Arguments.of("starInsideTheQuotesIsNotTheWildcard", "\"fr,*,gz\"", "\"v2\"", false),
                Arguments.of("starAloneIsTheWildcard", "*", "\"v1\"", true),
                Arguments.of("starWithWhitespaceIsTheWildcard", "  *  ", "\"v1\"", true),
                Arguments.of("starInAListIsMalformed", "*, \"v0\"", "\"v1\"", false),
                Arguments.of("starAfterATagIsMalformed", "\"v1\", *", "\"v1\"", false),
                Arguments.of("unquotedTagIsMalformed", "v1", "\"v1\"", false),
                Arguments.of("unquotedTagAfterTheMatchIsMalformed", "\"v1\", v2", "\"v1\"", false),
                Arguments.of("unterminatedQuoteIsMalformed", "\"v1", "\"v1\"", false),
                Arguments.of("tagsWithoutACommaAreMalformed", "\"v0\" \"v1\"", "\"v1\"", false),
                Arguments.of("spaceInsideTheQuotesIsMalformed", "\"v 1\"", "\"v 1\"", false),
                Arguments.of("lowerCaseWeakPrefixIsMalformed", "w/\"v1\"", "\"v1\"", false),
                Arguments.of("emptyOpaqueTag", "\"\"", "\"\"", true),
                Arguments.of("emptyValueNamesNothing", "", "\"v1\"", false),
                Arguments.of("onlyCommasNameNothing", " , ,", "\"v1\"", false),
                Arguments.of("malformedStoredTagIsNeverNamed", "\"v1\"", "v1", false),
                Arguments.of("wildcardNamesEvenAMalformedStoredTag", "*", "v1", true),
                Arguments.of("noStoredTag", "*", null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void ifNoneMatch(String name, String field, String stored, boolean named) {
        assertEquals(named, EntityTags.listNames(field, stored), name);
    }

    /** name, one tag, the other, weak comparison, strong comparison. */
    static Stream<Arguments> comparisons() {
        return Stream.of(
                Arguments.of("sameStrongTags", "\"v1\"", "\"v1\"", true, true),
                Arguments.of("oneWeak", "W/\"v1\"", "\"v1\"", true, false),
                Arguments.of("bothWeak", "W/\"v1\"", "W/\"v1\"", true, false),
                Arguments.of("differentTags", "\"v1\"", "\"v2\"", false, false),
                Arguments.of("surroundingWhitespace", " \"v1,en\" ", "\"v1,en\"", true, true),
                Arguments.of("aListIsNotOneTag", "\"v1\", \"v2\"", "\"v1\"", false, false),
                Arguments.of("unquoted", "v1", "v1", false, false),
                Arguments.of("absent", null, "\"v1\"", false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("comparisons")
    void compare(String name, String a, String b, boolean weak, boolean strong) {
        assertEquals(weak, EntityTags.weakMatch(a, b), name + " (weak)");
        assertEquals(strong, EntityTags.strongMatch(a, b), name + " (strong)");
    }
}
