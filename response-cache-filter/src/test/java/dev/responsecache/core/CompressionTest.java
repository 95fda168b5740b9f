package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which stored responses are compressed, and the settings that say so. */
class CompressionTest {

    private static final int MIN = 1024;

    @ParameterizedTest(name = "[{index}] {0} {1} ({2} bytes) + {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "200 | application/json | 2000 | NULL | NULL",
        "200 | application/json; charset=utf-8 | 2000 | NULL | NULL",
        "203 | text/html | 2000 | NULL | NULL",
        "404 | text/plain | 2000 | NULL | NULL",
        "200 | text/css | 2000 | NULL | NULL",
        "200 | application/javascript | 2000 | NULL | NULL",
        "200 | image/svg+xml | 2000 | NULL | NULL",
        "200 | application/problem+json | 2000 | NULL | NULL",
        "200 | application/atom+xml | 2000 | NULL | NULL",
        "200 | APPLICATION/JSON | 2000 | NULL | NULL",
        "200 | application/json | 1023 | NULL | small",
        "200 | application/json | 1024 | NULL | NULL",
        "200 | image/png | 2000 | NULL | type",
        "200 | application/octet-stream | 2000 | NULL | type",
        "200 | text/event-stream | 2000 | NULL | type",
        "200 | NULL | 2000 | NULL | type",
        "206 | application/json | 2000 | NULL | status",
        "200 | application/json | 2000 | Content-Encoding: gzip | encoded",
        "200 | application/json | 2000 | content-encoding: br | encoded",
        "200 | application/json | 2000 | Content-Range: bytes 0-1999/4000 | range",
        "200 | application/json | 2000 | Cache-Control: public, no-transform | no-transform",
        "200 | application/json | 2000 | Vary: Accept-Language, accept-encoding | negotiated",
        "200 | application/json | 2000 | Content-Digest: sha-256=:AAAA: | digest",
        "200 | application/json | 2000 | repr-digest: sha-256=:AAAA: | digest",
        "200 | application/json | 2000 | Digest: SHA-256=AAAA | digest",
        "200 | application/json | 2000 | Content-MD5: AAAA | digest",
    })
    void refusal(int status, String type, int length, String extra, String reason) {
        List<Header> headers = new ArrayList<>();
        if (type != null) {
            headers.add(new Header("Content-Type", type));
        }
        if (extra != null) {
            headers.add(new Header(extra.substring(0, extra.indexOf(':')), extra.substring(extra.indexOf(':') + 1)
                    .trim()));
        }
        assertEquals(reason, Compression.refusal(status, headers, length, List.of(), MIN));
    }

    @Test
    void anEncoderOfTheApplicationSaysSoInTheVaryItAdds() {
        assertEquals("negotiated", Compression.refusal(200, List.of(new Header("Content-Type", "text/plain")), 4000,
                List.of("Origin", "Accept-Encoding"), MIN));
        assertNull(Compression.refusal(200, List.of(new Header("Content-Type", "text/plain")), 4000,
                List.of("Origin"), MIN));
    }

    @Test
    void offByDefaultWithAKibibyteMinimum() {
        Compression defaults = Compression.from(new PropertyValues(name -> null));
        assertEquals(false, defaults.enabled());
        assertTrue(Compression.from(properties("gzip", null)).enabled());
        assertTrue(Compression.from(properties("GZIP", "64")).enabled());
        assertEquals(false, Compression.from(properties("off", null)).enabled());
    }

    @Test
    void badValuesFailNamingThePropertyAndTheValue() {
        ResponseCacheConfigException mode = assertThrows(ResponseCacheConfigException.class,
                () -> Compression.from(properties("brotli", null)));
        assertEquals("Invalid value for responsecache.compress: 'brotli' (expected gzip or off)", mode.getMessage());
        ResponseCacheConfigException size = assertThrows(ResponseCacheConfigException.class,
                () -> Compression.from(properties("gzip", "tiny")));
        assertTrue(size.getMessage().startsWith("Invalid value for responsecache.compress-min-size: 'tiny'"),
                size.getMessage());
        assertThrows(ResponseCacheConfigException.class, () -> Compression.from(properties("gzip", "0")));
        assertThrows(ResponseCacheConfigException.class, () -> Compression.from(properties("gzip", "4GB")));
    }

    private static PropertyValues properties(String mode, String minSize) {
        Map<String, String> values = new java.util.HashMap<>();
        if (mode != null) {
            values.put("responsecache.compress", mode);
        }
        if (minSize != null) {
            values.put("responsecache.compress-min-size", minSize);
        }
        return new PropertyValues(values::get);
    }
}
