package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
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
        "'br;q=1.0, gzip;q=0.8, *;q=0.1' | true",
        "'br;q=1.0, gzip;q=0, *;q=0.1' | false",
        "identity;q=0 | false",
        "'identity;q=0, *' | true",
        "'identity;q=0, *;q=0.5' | true",
        "x-gzip;q=0, gzip | false",
        "'  GZip ; Q = 0.5 , br' | true",
        "gzip;level=9;q=0 | false",
        "gzip;level;q=1 | true",
        "gzip;q=1;q=0 | true",
        "gzip;q= | false",
        "gzip;q=. | false",
        "gzip;q=0. | false",
        "gzip;q=.5 | true",
        "gzip;q=1.2.3 | false",
        "gzip;q=1e0 | true",
        "gzip;q=0e5 | false",
        "gzip;q=-1 | false",
        "gzip;q=0.000000000000000000001 | true",
        "gzip;q=0.000000000000000000000 | false",
        "',,gzip,' | true",
        "gz ip | false",
        "gzıp | false",
        "GZİP | false",
        "*;q=1, *;q=0 | false",
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
        CacheEntry entry = new CacheEntry("k", 200, List.of(new Header("ETag", identity)), new byte[0], 0, 1000,
                List.of()).withGzipBody(new byte[] {31, -117});
        assertEquals(gzip, GzipAnswers.gzipTag(entry));
        assertSame(entry.gzipHeaders(), entry.gzipHeaders(), "derived once per entry");
    }

    /**
     * The parser reads the header in place; the rule is the one it replaced, which split the value: both agree on
     * every value made of the characters that matter, including the malformed ones.
     */
    @Test
    void readsEveryValueAsSplittingItWould() {
        String alphabet = "gGzZiIpPxX-*;qQ=0.15e ,\t";
        Random random = new Random(20261126);
        for (int i = 0; i < 100_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(24);
            for (int j = 0; j < length; j++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (String known : new String[] {"gzip", "x-gzip", "*", ";q=0", ";q=1", ", "}) {
                if (random.nextInt(3) == 0) {
                    value.insert(random.nextInt(value.length() + 1), known);
                }
            }
            String acceptEncoding = value.toString();
            assertEquals(Splitting.acceptsGzip(acceptEncoding), GzipAnswers.acceptsGzip(acceptEncoding),
                    acceptEncoding);
        }
    }

    /** The rule as it was written first, splitting the value: the reference the parser is checked against. */
    private static final class Splitting {

        static boolean acceptsGzip(String acceptEncoding) {
            Boolean any = null;
            for (String element : acceptEncoding.split(",")) {
                int semicolon = element.indexOf(';');
                String coding = (semicolon < 0 ? element : element.substring(0, semicolon)).trim()
                        .toLowerCase(Locale.ROOT);
                boolean accepted = semicolon < 0 || weightAboveZero(element.substring(semicolon + 1));
                if (coding.equals("gzip") || coding.equals("x-gzip")) {
                    return accepted;
                }
                if (coding.equals("*")) {
                    any = accepted;
                }
            }
            return any != null && any;
        }

        private static boolean weightAboveZero(String parameters) {
            for (String parameter : parameters.split(";")) {
                int equals = parameter.indexOf('=');
                if (equals < 0 || !parameter.substring(0, equals).trim().equalsIgnoreCase("q")) {
                    continue;
                }
                try {
                    return Double.parseDouble(parameter.substring(equals + 1).trim()) > 0;
                } catch (NumberFormatException unreadable) {
                    return false;
                }
            }
            return true;
        }
    }
}
