package dev.responsecache.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;
import dev.responsecache.spi.VariantKeys;

import java.nio.charset.StandardCharsets;
import java.util.List;

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

    @Test
    void variantKeyKeepsItsPrimaryKeysHashTagSoEveryVariantOfAUrlIsInOneClusterSlot() {
        String primary = text(keys.of("GET /a"));
        String variant = text(keys.of(VariantKeys.of("GET /a", List.of(new CacheEntry.VaryValue("accept-language",
                "en")))));
        String other = text(keys.of(VariantKeys.of("GET /a", List.of(new CacheEntry.VaryValue("accept-language",
                "de")))));
        assertTrue(variant.matches("\\Q" + primary + "\\E:v:[A-Za-z0-9_-]{43}"), variant);
        assertTrue(other.startsWith(primary + ":v:"), other);
        assertFalse(variant.equals(other));
    }

    @Test
    void keyDigestIsTheUnpaddedBase64urlSha256OfTheUtf8CanonicalKeyThatVariantKeysUseToo() {
        String digest = "yzkKzD5L4x2sSjQLf0F-t8XtQHBIkw9Ju84-ei0QImQ";
        assertEquals(digest, VariantKeys.digest("\u00e9/a?b"));
        assertEquals("rc:v" + EntryCodec.VERSION + ":k2:{" + digest + "}", text(keys.of("\u00e9/a?b")));
        assertEquals(digest, RedisKeys.digest("\u00e9/a?b"));
    }

    private static String text(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
