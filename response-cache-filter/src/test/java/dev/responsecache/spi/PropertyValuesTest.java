package dev.responsecache.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PropertyValuesTest {

    private static PropertyValues of(String name, String value) {
        return new PropertyValues(Map.of(name, value)::get);
    }

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
        "1048576, 1048576", "1B, 1", "512KB, 524288", "512kb, 524288", "1KiB, 1024", "64MB, 67108864",
        "64 MiB, 67108864", "1GB, 1073741824", "2k, 2048", "3M, 3145728",
    })
    void sizesAcceptBinaryUnits(String text, long bytes) {
        assertEquals(bytes, of("s", text).size("s", 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12XB", "-5", "0", "1.5MB", "MB", "1 TB", "99999999999999999999"})
    void badSizesNameThePropertyAndValue(String text) {
        ResponseCacheConfigException error = assertThrows(ResponseCacheConfigException.class,
                () -> of("responsecache.max-body-size", text).size("responsecache.max-body-size", 0));
        assertTrue(error.getMessage().contains("responsecache.max-body-size"), error.getMessage());
        assertTrue(error.getMessage().contains(text), error.getMessage());
    }

    @Test
    void durationsAndStatusesAndBooleans() {
        assertEquals(Duration.ofMillis(250), of("d", "250ms").duration("d", Duration.ZERO));
        assertEquals(Duration.ofSeconds(2), of("d", "2s").duration("d", Duration.ZERO));
        assertThrows(ResponseCacheConfigException.class, () -> of("d", "2m").duration("d", Duration.ZERO));
        assertEquals(List.of(200, 404), of("s", "200, 404").statuses("s", List.of()));
        assertThrows(ResponseCacheConfigException.class, () -> of("s", "200,99").statuses("s", List.of()));
        assertThrows(ResponseCacheConfigException.class, () -> of("b", "TRUEish").bool("b", false));
        assertEquals(true, of("b", "TRUE").bool("b", false));
        assertEquals("dflt", of("x", "  ").string("x", "dflt"));
    }
}
