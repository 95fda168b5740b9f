package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The partial-answer decision as tables: which ranges the entry answers, and how (RFC 9110 section 14). */
class ByteRangesTest {

    /**
     * Method, Range, If-Range (empty: none), answered from the entry: only the one form Jetty's and Tomcat's default
     * servlets both read, and cut, alike.
     */
    @ParameterizedTest(name = "{0} {1} If-Range {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "GET  | bytes=0-9                  |            | true",
        "GET  | bytes=90-                  |            | true",
        "GET  | bytes=-10                  |            | true",
        "GET  | bytes=95-500               |            | true",
        "GET  | bytes=0-0                  |            | true",
        "GET  | bytes=999999999999999999-  |            | true",
        "GET  | bytes=1-9999999999999999999 |           | false",
        "GET  | bytes=-0                   |            | false",
        "GET  | bytes=9-0                  |            | false",
        "GET  | bytes=a-b                  |            | false",
        "GET  | bytes=5                    |            | false",
        "GET  | bytes=                     |            | false",
        "GET  | bytes=-                    |            | false",
        "GET  | bytes=0-1,5-6              |            | false",
        "GET  | 'bytes=0-4, 2-3'           |            | false",
        "GET  | BYTES=0-9                  |            | false",
        "GET  | 'bytes = 0-9'              |            | false",
        "GET  | 'bytes=0 - 9'              |            | false",
        "GET  | items=0-9                  |            | false",
        "HEAD | bytes=0-9                  |            | false",
        "GET  | bytes=0-9                  | \"v1\"     | false",
        "GET  | bytes=0-9                  | W/\"v1\"   | false",
        "GET  | bytes=0-9                  | 'Thu, 01 Jan 2026 00:00:00 GMT' | false",
        "GET  | bytes=0-9                  | yesterday  | false",
        "GET  | bytes=0-9                  | ''         | false"})
    void answerable(String method, String range, String ifRange, boolean expected) {
        assertEquals(expected, ByteRanges.answerable(method, range, ifRange));
    }

    /** name, Range, stored status, body length, expected ("whole", or status and Content-Range). */
    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("rfc9110_14_1_2_firstAndLastPosition", "bytes=0-9", 200, 100, "206 bytes 0-9/100"),
                Arguments.of("rfc9110_14_1_2_openEndedRange", "bytes=90-", 200, 100, "206 bytes 90-99/100"),
                Arguments.of("rfc9110_14_1_2_lastPositionPastTheEndIsTheEnd", "bytes=95-500", 200, 100,
                        "206 bytes 95-99/100"),
                Arguments.of("rfc9110_14_1_2_suffixRange", "bytes=-10", 200, 100, "206 bytes 90-99/100"),
                Arguments.of("rfc9110_14_1_2_suffixLongerThanTheBodyIsAllOfIt", "bytes=-500", 200, 100,
                        "206 bytes 0-99/100"),
                Arguments.of("rfc9110_14_1_1_firstPositionAtTheEndIsUnsatisfiable", "bytes=100-", 200, 100,
                        "416 bytes */100"),
                Arguments.of("rfc9110_14_2_onlyAStored200IsCut", "bytes=0-9", 404, 100, "whole"),
                Arguments.of("rfc9110_14_1_1_emptyRepresentationSatisfiesNoFirstPosition", "bytes=0-", 200, 0,
                        "416 bytes */0"),
                Arguments.of("rfc9110_14_1_1_emptyRepresentationSatisfiesASuffix", "bytes=-5", 200, 0, "whole"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void answers(String name, String range, int status, long length, String expected) {
        RangeAnswer answer = ByteRanges.answer(range, status, length);
        assertEquals(expected, answer == null ? "whole" : answer.status() + " " + answer.contentRange(), name);
    }

    @Test
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
}
