package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which clients get the gzip bytes, and the gzip representation's tag (RFC 9110 12.5.3, 8.8.3). */
class GzipAnswersTest {

    @ParameterizedTest(name = "[{index}] Accept-Encoding ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL | false",
        "'' | false",
        "identity | false",
        "gzip | true",
        "GZIP | true",
        "x-gzip | true",
        "gzip, deflate, br | true",
        "br, gzip;q=0.5 | true",
        "gzip;q=0 | false",
        "gzip; q=0.000 | false",
        "gzip;Q=0.0, identity | false",
        "gzip;q=0.001 | true",
        "gzip;q=nonsense | false",
        "* | true",
        "*;q=0 | false",
        "br, * | true",
        "gzip;q=0, * | false",
        "*, gzip;q=0 | false",
        "deflate, br | false",
        "identity;q=1, *;q=0 | false",
    })
    void acceptsGzip(String acceptEncoding, boolean accepted) {
        assertEquals(accepted, GzipAnswers.acceptsGzip(acceptEncoding));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'\"abc\"' | '\"abc-gzip\"'",
        "'W/\"abc\"' | 'W/\"abc-gzip\"'",
        "'\"\"' | '\"-gzip\"'",
        "unquoted | unquoted-gzip",
    })
    void gzipTagPutsTheSuffixInsideTheQuotes(String identity, String gzip) {
        assertEquals(gzip, GzipAnswers.gzipTag(identity));
    }
}
