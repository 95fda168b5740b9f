package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The partial-answer decision as a table: one row per rule of RFC 9110 section 14, named after its section. */
class ByteRangesTest {

    private static final String ETAG = "\"v1\"";
    private static final String MODIFIED = "Tue, 01 Dec 2026 10:00:00 GMT";
    /** A second after {@link #MODIFIED}: that date is a strong validator. */
    private static final String DATE = "Tue, 01 Dec 2026 10:00:01 GMT";
    /** Now on the engine's clock, which places an obsolete date's two-digit year. */
    private static final long NOW = java.time.Instant.parse("2026-12-01T10:00:02Z").toEpochMilli();

    /** name, method, Range, If-Range, stored status, stored ETag, expected ("whole", or status and Content-Range). */
    static Stream<Arguments> rows() {
        return Stream.of(
                row("rfc9110_14_1_2_firstAndLastPosition", "GET", "bytes=0-9", null, 200, ETAG, "206 bytes 0-9/100"),
                row("rfc9110_14_1_2_openEndedRange", "GET", "bytes=90-", null, 200, ETAG, "206 bytes 90-99/100"),
                row("rfc9110_14_1_2_lastPositionPastTheEndIsTheEnd", "GET", "bytes=95-500", null, 200, ETAG,
                        "206 bytes 95-99/100"),
                row("rfc9110_14_1_2_hugeLastPositionIsTheEnd", "GET", "bytes=1-99999999999999999999999", null, 200,
                        ETAG, "206 bytes 1-99/100"),
                row("rfc9110_14_1_2_suffixRange", "GET", "bytes=-10", null, 200, ETAG, "206 bytes 90-99/100"),
                row("rfc9110_14_1_2_suffixLongerThanTheBodyIsAllOfIt", "GET", "bytes=-500", null, 200, ETAG,
                        "206 bytes 0-99/100"),
                row("rfc9110_14_1_1_unitIsCaseInsensitiveAndWhitespaceAllowed", "GET", " Bytes = 0 - 0 ", null, 200,
                        ETAG, "206 bytes 0-0/100"),
                row("rfc9110_14_1_1_firstPositionAtTheEndIsUnsatisfiable", "GET", "bytes=100-", null, 200, ETAG,
                        "416 bytes */100"),
                row("rfc9110_14_1_1_zeroSuffixIsUnsatisfiable", "GET", "bytes=-0", null, 200, ETAG,
                        "416 bytes */100"),
                row("rfc9110_14_1_1_lastBeforeFirstIsInvalidAndIgnored", "GET", "bytes=9-0", null, 200, ETAG,
                        "whole"),
                row("rfc9110_14_1_1_malformedRangeIsIgnored", "GET", "bytes=a-b", null, 200, ETAG, "whole"),
                row("rfc9110_14_1_1_missingDashIsIgnored", "GET", "bytes=5", null, 200, ETAG, "whole"),
                row("rfc9110_14_2_otherUnitIsIgnored", "GET", "items=0-9", null, 200, ETAG, "whole"),
                row("rfc9110_14_2_severalRangesMayBeAnsweredWhole", "GET", "bytes=0-1,5-6", null, 200, ETAG,
                        "whole"),
                row("rfc9110_14_2_rangeIsDefinedForGetOnly", "HEAD", "bytes=0-9", null, 200, ETAG, "whole"),
                row("rfc9110_14_2_onlyAStored200IsCut", "GET", "bytes=0-9", null, 404, ETAG, "whole"),
                row("rfc9110_13_1_5_ifRangeWithTheStrongEtagGivesThePart", "GET", "bytes=0-9", ETAG, 200, ETAG,
                        "206 bytes 0-9/100"),
                row("rfc9110_13_1_5_ifRangeWithAnotherEtagGivesTheWhole", "GET", "bytes=0-9", "\"v2\"", 200, ETAG,
                        "whole"),
                row("rfc9110_13_1_5_weakEtagNeverMatchesIfRange", "GET", "bytes=0-9", "W/\"v1\"", 200, "W/\"v1\"",
                        "whole"),
                row("rfc9110_13_1_5_ifRangeWithTheLastModifiedDateGivesThePart", "GET", "bytes=0-9", MODIFIED, 200,
                        ETAG, "206 bytes 0-9/100"),
                row("rfc9110_13_1_5_ifRangeWithAnotherDateGivesTheWhole", "GET", "bytes=0-9",
                        "Tue, 01 Dec 2026 10:00:01 GMT", 200, ETAG, "whole"),
                row("rfc9110_13_1_5_malformedIfRangeGivesTheWhole", "GET", "bytes=0-9", "yesterday", 200, ETAG,
                        "whole"),
                row("rfc9110_8_8_3_ifRangeWithACommaInTheStoredTagGivesThePart", "GET", "bytes=0-9", "\"v1,en\"",
                        200, "\"v1,en\"", "206 bytes 0-9/100"),
                row("rfc9110_13_1_5_ifRangeListingTagsIsMalformedAndGivesTheWhole", "GET", "bytes=0-9",
                        "\"v1\", \"v2\"", 200, ETAG, "whole"),
                row("rfc9110_13_1_5_unterminatedIfRangeTagGivesTheWhole", "GET", "bytes=0-9", "\"v1", 200, ETAG,
                        "whole"));
    }

    private static Arguments row(String name, String method, String range, String ifRange, int status, String etag,
                                 String expected) {
        return Arguments.of(name, method, range, ifRange, status, etag, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(String name, String method, String range, String ifRange, int status, String etag,
                 String expected) {
        RangeAnswer answer = ByteRanges.answer(method, range, ifRange, status, etag, MODIFIED, DATE, 100, NOW);
        assertEquals(expected, answer == null ? "whole" : answer.status() + " " + answer.contentRange(), name);
    }

    /** name, stored Date (null: none), expected: 8.8.2.2, a date is strong only a second or more before Date. */
    static Stream<Arguments> dateStrengthRows() {
        return Stream.of(
                Arguments.of("rfc9110_8_8_2_2_dateASecondAfterLastModifiedMakesItStrong", DATE, "206 bytes 0-9/100"),
                Arguments.of("rfc9110_8_8_2_2_dateLaterStillStrong", "Tue, 01 Dec 2026 11:00:00 GMT",
                        "206 bytes 0-9/100"),
                Arguments.of("rfc9110_8_8_2_2_dateInTheSameSecondIsWeak", MODIFIED, "whole"),
                Arguments.of("rfc9110_8_8_2_2_dateBeforeLastModifiedIsWeak", "Tue, 01 Dec 2026 09:59:59 GMT",
                        "whole"),
                Arguments.of("rfc9110_8_8_2_2_noStoredDateIsWeak", null, "whole"),
                Arguments.of("rfc9110_8_8_2_2_malformedStoredDateIsWeak", "soon", "whole"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dateStrengthRows")
    void rfc9110_13_1_5_ifRangeDateMatchesOnlyAStrongLastModified(String name, String date, String expected) {
        RangeAnswer answer = ByteRanges.answer("GET", "bytes=0-9", MODIFIED, 200, ETAG, MODIFIED, date, 100, NOW);
        assertEquals(expected, answer == null ? "whole" : answer.status() + " " + answer.contentRange(), name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyBodyRows")
    void rfc9110_14_1_1_emptyRepresentation(String range, String expected) {
        RangeAnswer answer = ByteRanges.answer("GET", range, null, 200, ETAG, null, null, 0, NOW);
        assertEquals(expected, answer == null ? "whole" : answer.status() + " " + answer.contentRange());
    }

    @org.junit.jupiter.api.Test
    void sliceSendsOnlyTheRangeOfWhatIsWrittenWhateverTheWrites() throws Exception {
        byte[] body = "0123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.OutputStream slice = new RangeAnswer(206, "bytes 3-6/10", 3, 4).slice(out);
        slice.write(body, 0, 2);
        slice.write(body[2]);
        slice.write(body[3]);
        slice.write(body, 4, 6);
        assertEquals("3456", out.toString(java.nio.charset.StandardCharsets.US_ASCII));
    }

    static Stream<Arguments> emptyBodyRows() {
        return Stream.of(Arguments.of("bytes=0-", "416 bytes */0"), Arguments.of("bytes=-5", "whole"));
    }
}
