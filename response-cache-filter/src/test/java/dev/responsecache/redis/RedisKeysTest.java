package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.spi.EntryCodec;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("rc:");

    @Test
    void keyIsPrefixFormatAndLayoutVersionsAndFixedLengthDigestAsHashTag() {
        String shortKey = text(keys.of("GET /a"));
        String longKey = text(keys.of("GET /search?q=" + "x".repeat(10_000)));
        assertTrue(shortKey.matches("rc:v" + EntryCodec.VERSION + ":k2:\\{[A-Za-z0-9_-]{43}}"), shortKey);
        assertEquals(shortKey.length(), longKey.length());
    }

    @Test
    void sameCanonicalKeyGivesSameRedisKeyAndOthersDiffer() {
        assertArrayEquals(keys.of("GET /a"), keys.of("GET /a"));
        assertFalse(text(keys.of("GET /a")).equals(text(keys.of("GET /b"))));
        assertFalse(text(keys.of("GET /a")).equals(text(new RedisKeys("other:").of("GET /a"))));
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
