package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.Header;
import dev.responsecache.testing.MutableClock;
import dev.responsecache.testing.RedisTestServer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code Vary} variants side by side in a real Redis: one hash tag per URL, every variant evicted with it. */
class RedisVaryVariantsIT {

    @RegisterExtension
    static final RedisTestServer redis = RedisTestServer.perTestClass();

    private final String prefix = "rc-test-" + UUID.randomUUID() + ":";
    private final MutableClock clock = new MutableClock();
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
    private final ResponseCache cache = ResponseCache.start(new dev.responsecache.spi.PropertyValues(Map.<String,
            Object>of(ResponseCacheProperties.STORE, "redis", ResponseCacheProperties.REDIS_URI, redis.uri(),
            ResponseCacheProperties.REDIS_KEY_PREFIX, prefix, ResponseCacheProperties.MAX_VARIANTS, "3",
            ResponseCacheProperties.CLOCK, clock, ResponseCacheProperties.REDIS_READ_TIMEOUT, "30s",
            ResponseCacheProperties.REDIS_SLOW_CALL, "30s")::get));

    @AfterEach
    void close() {
        cache.close();
    }

    private Lookup ask(String path, String language) {
        FakeRequest request = FakeRequest.get(path, null).withHeader("Accept-Language", language);
        Lookup lookup = cache.lookup(policy, request);
        if (lookup.outcome() == Lookup.Outcome.MISS) {
            assertNotNull(cache.store(lookup, 200, List.of(new Header("Vary", "Accept-Language")),
                    language.getBytes(StandardCharsets.UTF_8)));
        }
        return lookup;
    }

    /** The Redis keys of entries under the prefix (the tag index and epoch keys left out). */
    private Set<String> entryKeys() {
        return Set.copyOf(redis.keys(prefix).stream().filter(key -> key.startsWith(prefix + "v")).toList());
    }

    @Test
    void twoLanguagesAlternatingBothHitAfterTheirFirstMiss() {
        assertEquals(Lookup.Outcome.MISS, ask("/p", "en").outcome());
        assertEquals(Lookup.Outcome.MISS, ask("/p", "de").outcome());
        for (int i = 0; i < 3; i++) {
            assertEquals("en", new String(body(ask("/p", "en")), StandardCharsets.UTF_8));
            assertEquals("de", new String(body(ask("/p", "de")), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyVariantOfOneUrlSharesThePrimaryKeysHashTag() {
        ask("/p", "en");
        ask("/p", "de");
        Set<String> keys = entryKeys();
        assertEquals(3, keys.size(), keys.toString());
        Set<String> hashTags = new java.util.HashSet<>();
        Pattern tag = Pattern.compile("\\{([^}]*)}");
        for (String key : keys) {
            Matcher matcher = tag.matcher(key);
            assertTrue(matcher.find(), key);
            hashTags.add(matcher.group(1));
        }
        assertEquals(1, hashTags.size(), keys.toString());
    }

    @Test
    void evictingTheUrlRemovesEveryVariantFromRedis() {
        ask("/p", "en");
        ask("/p", "de");
        ask("/q", "en");
        cache.invalidator().evictRequest(URI.create("/p"));
        assertEquals(2, entryKeys().size(), "only /q's primary and variant are left: " + entryKeys());
        assertEquals(Lookup.Outcome.MISS, ask("/p", "en").outcome());
        assertEquals(Lookup.Outcome.MISS, ask("/p", "de").outcome());
        assertEquals(Lookup.Outcome.HIT, ask("/q", "en").outcome());
    }

    @Test
    void variantCapBoundsTheRedisKeysOfOneUrl() {
        for (int i = 0; i < 10; i++) {
            ask("/p", "l" + i);
        }
        assertEquals(1 + 3, entryKeys().size(), entryKeys().toString());
    }

    private static byte[] body(Lookup hit) {
        assertEquals(Lookup.Outcome.HIT, hit.outcome());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            hit.entry().writeBody(out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
