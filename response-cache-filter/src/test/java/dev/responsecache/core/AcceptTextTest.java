package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code Accept} header as a JAX-RS key holds it: only the white space Jersey's reader skips and RESTEasy trims
 * is taken out, so that two headers share a key only when both runtimes read them alike.
 */
class AcceptTextTest {

    @ParameterizedTest(name = "[{0}] keyed as [{1}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        // Around commas and after semicolons both skip it.
        "application/json, text/plain, */*|application/json,text/plain,*/*",
        "text/html , application/xml|text/html,application/xml",
        "'text/html,\tapplication/xml'|text/html,application/xml",
        "text/html; q=0.9|text/html;q=0.9",
        "' text/html '|text/html",
        // A quoted value's spaces are part of it (JSON-LD's profile is a list of URIs): the header is kept whole.
        "text/plain;profile=\"a b\"|text/plain;profile=\"a b\"",
        "text/plain; profile=\"a b\", text/html|text/plain; profile=\"a b\", text/html",
        // RESTEasy ignores escapes and splits at quoted commas where Jersey does not: kept whole.
        "text/plain; a=b\\c|text/plain; a=b\\c",
        // RESTEasy keeps white space after a subtype (\"plain \" matches no @Produces), both split tokens at it.
        "text/plain ;charset=UTF-8|text/plain ;charset=UTF-8",
        "text/pla in|text/pla in",
        "text/plain;q= 0.5|text/plain;q= 0.5",
    })
    void takesOutOnlyWhiteSpaceBothRuntimesSkip(String sent, String keyed) {
        assertEquals(keyed, AcceptText.keyed(sent));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"text/html,application/xml;q=0.9", "text/plain ;q=1"})
    void aHeaderWithNothingToTakeOutIsTheSameString(String sent) {
        assertSame(sent, AcceptText.keyed(sent));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "text/plain;profile=\"a b\"|text/plain;profile=\"ab\"",
        "text/plain ;charset=UTF-8|text/plain;charset=UTF-8",
    })
    void valuesTheRuntimesTellApartKeepApart(String one, String other) {
        assertNotEquals(CacheRequest.acceptAsSent(one),
                CacheRequest.acceptAsSent(other));
    }
}
