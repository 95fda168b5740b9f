package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.ehcache.EhcacheStoreProvider;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.StoreContext;
import dev.responsecache.spi.VariantKeys;
import dev.responsecache.testing.MutableClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several {@code Vary} variants of one key kept side by side, on the real embedded store. */
class VaryVariantsTest {

    private static final List<Header> VARY_LANGUAGE = List.of(new Header("Vary", "Accept-Language"));

    private final MutableClock clock = new MutableClock();
    private final List<String> reads = new ArrayList<>();
    private final ResponseStore ehcache = new EhcacheStoreProvider()
            .create(new StoreContext(new PropertyValues(name -> null), clock));
    private final ResponseStore counted = new CountingStore(ehcache, reads);
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
    private ResponseCache cache = new ResponseCache(settings(), counted);

    private CacheSettings settings() {
        return new CacheSettings(true, "ehcache", 1024, Set.copyOf(CacheSettings.DEFAULT_STATUSES), "X-Cache",
                Duration.ofSeconds(30), clock);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    private static FakeRequest language(String value) {
        return FakeRequest.get("/p", null).withHeader("Accept-Language", value);
    }

    /** Looks up; on a miss stores a body naming the language; returns the lookup. */
    private Lookup ask(FakeRequest request) {
        Lookup lookup = cache.lookup(policy, request);
        if (lookup.outcome() == Lookup.Outcome.MISS) {
            assertNotNull(cache.store(lookup, 200, VARY_LANGUAGE, request.header("Accept-Language").getBytes()));
        }
        return lookup;
    }

    @Test
    void twoLanguagesAlternatingBothHitAfterTheirFirstMiss() {
        assertEquals(Lookup.Outcome.MISS, ask(language("en")).outcome());
        assertEquals(Lookup.Outcome.MISS, ask(language("de")).outcome());
        for (int i = 0; i < 3; i++) {
            Lookup english = ask(language("en"));
            assertEquals(Lookup.Outcome.HIT, english.outcome());
            assertEquals(List.of(new CacheEntry.VaryValue("accept-language", "en")), english.entry().varyValues());
            assertEquals(Lookup.Outcome.HIT, ask(language("de")).outcome());
        }
    }

    @Test
    void latestVariantIsOneReadAndAnotherVariantTwo() {
        ask(language("en"));
        ask(language("de"));
        reads.clear();
        assertEquals(Lookup.Outcome.HIT, ask(language("de")).outcome());
        assertEquals(1, reads.size(), reads.toString());
        reads.clear();
        assertEquals(Lookup.Outcome.HIT, ask(language("en")).outcome());
        assertEquals(2, reads.size(), reads.toString());
        assertTrue(VariantKeys.isVariant(reads.get(1)));
        assertEquals(reads.get(0), VariantKeys.primaryOf(reads.get(1)));
    }

    @Test
    void variantAnswersUnderItsOwnKeyOnlyAndTheEngineSeesThePrimaryKey() {
        ask(language("en"));
        ask(language("de"));
        String primary = CacheKeys.of(language("en"), policy);
        CacheEntry variant = ehcache.get(VariantKeys.of(primary,
                List.of(new CacheEntry.VaryValue("accept-language", "en"))));
        assertNotNull(variant);
        assertTrue(VariantKeys.isVariant(variant.key()));
        assertEquals(primary, ask(language("en")).entry().key());
    }

    @Test
    void headerModeKeepsVariantsSideBySideAndRevalidatesTheOneAsked() {
        CachePolicy fromHeaders = policy.fromHeaders();
        List<Header> headers = List.of(new Header("Cache-Control", "max-age=5"), new Header("ETag", "\"t\""),
                new Header("Vary", "Accept-Language"));
        for (String value : List.of("en", "de")) {
            Lookup miss = cache.lookup(fromHeaders, language(value));
            assertEquals(Lookup.Outcome.MISS, miss.outcome());
            assertNotNull(cache.store(miss, 200, headers, value.getBytes()));
        }
        assertEquals(Lookup.Outcome.HIT, cache.lookup(fromHeaders, language("en")).outcome());
        assertEquals(Lookup.Outcome.HIT, cache.lookup(fromHeaders, language("de")).outcome());

        clock.advance(Duration.ofSeconds(6));
        Lookup stale = cache.lookup(fromHeaders, language("en"));
        assertEquals(Lookup.Outcome.MISS, stale.outcome());
        assertNotNull(stale.revalidation(), "the en variant, not the de primary, is offered for revalidation");
        assertEquals(List.of(new CacheEntry.VaryValue("accept-language", "en")),
                stale.revalidation().varyValues());
        Lookup revalidated = cache.revalidated(stale, List.of(new Header("Cache-Control", "max-age=5")));
        assertEquals(Lookup.Outcome.HIT, revalidated.outcome());
        Lookup english = cache.lookup(fromHeaders, language("en"));
        assertEquals(Lookup.Outcome.HIT, english.outcome());
        assertEquals(List.of(new CacheEntry.VaryValue("accept-language", "en")), english.entry().varyValues());
        assertEquals(Lookup.Outcome.MISS, cache.lookup(fromHeaders, language("de")).outcome(), "de is still stale");
    }

    @Test
    void responseWithoutVaryIsStoredOnce() {
        Lookup miss = cache.lookup(policy, FakeRequest.get("/plain", null));
        cache.store(miss, 200, List.of(), new byte[] {1});
        assertEquals(1, ((CountingStore) counted).puts.size());
    }

    @Test
    void variantCapKeepsTheLatestUnderThePrimaryKeyOnly() {
        // the default cap: 8 variants side by side
        for (int i = 0; i < Variants.DEFAULT_MAX + 4; i++) {
            ask(language("l" + i));
        }
        List<String> puts = ((CountingStore) counted).puts;
        assertEquals(Variants.DEFAULT_MAX, puts.stream().filter(VariantKeys::isVariant).count());
        for (int i = 0; i < Variants.DEFAULT_MAX; i++) {
            assertEquals(Lookup.Outcome.HIT, ask(language("l" + i)).outcome(), "l" + i);
        }
        assertEquals(Lookup.Outcome.MISS, ask(language("l" + (Variants.DEFAULT_MAX + 1))).outcome(),
                "a variant past the cap is kept only while it is the latest");
    }

    @Test
    void cappedKeyTakesNewVariantsOnceItsCopiesHaveLeftTheStore() {
        for (int i = 0; i < Variants.DEFAULT_MAX + 1; i++) {
            ask(language("l" + i));
        }
        clock.advance(Duration.ofSeconds(11));
        ask(language("new"));
        ask(language("l0"));
        assertEquals(Lookup.Outcome.HIT, ask(language("new")).outcome());
        assertEquals(Lookup.Outcome.HIT, ask(language("l0")).outcome());
    }

    @Test
    void evictingTheUrlRemovesEveryVariant() {
        ask(language("en"));
        ask(language("de"));
        cache.invalidator().evictRequest(java.net.URI.create("/p"));
        assertEquals(Lookup.Outcome.MISS, ask(language("en")).outcome());
        assertEquals(Lookup.Outcome.MISS, ask(language("de")).outcome());
    }

    @Test
    void expiredVariantIsAMissAndItsRestoreKeepsTheOther() {
        ask(language("en"));
        clock.advance(Duration.ofSeconds(5));
        ask(language("de"));
        clock.advance(Duration.ofSeconds(6));
        assertEquals(Lookup.Outcome.MISS, ask(language("en")).outcome(), "en was stored 11 s ago");
        assertEquals(Lookup.Outcome.HIT, ask(language("de")).outcome());
        assertEquals(Lookup.Outcome.HIT, ask(language("en")).outcome());
    }

    @Test
    void maxVariantsZeroKeepsOneVariantAsBefore() {
        cache.close();
        cache = ResponseCache.start(new PropertyValues(Map.<String, Object>of(
                ResponseCacheProperties.MAX_VARIANTS, "0", ResponseCacheProperties.CLOCK, clock)::get));
        assertEquals(Lookup.Outcome.MISS, ask(language("en")).outcome());
        assertEquals(Lookup.Outcome.MISS, ask(language("de")).outcome());
        assertEquals(Lookup.Outcome.MISS, ask(language("en")).outcome());
    }

    @Test
    void maxVariantsOutOfRangeFailsTheStartNamingPropertyAndValue() {
        ResponseCacheConfigException failure = assertThrows(ResponseCacheConfigException.class,
                () -> ResponseCache.start(new PropertyValues(Map.<String, Object>of(
                        ResponseCacheProperties.MAX_VARIANTS, "65")::get)));
        assertTrue(failure.getMessage().contains(ResponseCacheProperties.MAX_VARIANTS), failure.getMessage());
        assertTrue(failure.getMessage().contains("65"), failure.getMessage());
        assertThrows(ResponseCacheConfigException.class, () -> ResponseCache.start(new PropertyValues(
                Map.<String, Object>of(ResponseCacheProperties.MAX_VARIANTS, "-1")::get)));
    }

    @Test
    void variantKeyNamesThePrimaryAndDependsOnEveryValue() {
        String primary = "k1p2:/p";
        String en = VariantKeys.of(primary, List.of(new CacheEntry.VaryValue("a", "en"),
                new CacheEntry.VaryValue("b", null)));
        assertEquals(en, VariantKeys.of(primary, List.of(new CacheEntry.VaryValue("b", null),
                new CacheEntry.VaryValue("a", "en"))), "order of the names does not matter");
        assertFalse(en.equals(VariantKeys.of(primary, List.of(new CacheEntry.VaryValue("a", "en"),
                new CacheEntry.VaryValue("b", "")))), "absent is not empty");
        assertEquals(primary, VariantKeys.primaryOf(en));
        assertEquals(primary, VariantKeys.primaryOf(primary));
        assertFalse(VariantKeys.isVariant(primary));
    }

    /** Counts the keys read and written, passing every call to the real store. */
    private static final class CountingStore implements ResponseStore {
        private final ResponseStore store;
        private final List<String> reads;
        final List<String> puts = new ArrayList<>();

        CountingStore(ResponseStore store, List<String> reads) {
            this.store = store;
            this.reads = reads;
        }

        @Override
        public CacheEntry get(String key) {
            reads.add(key);
            return store.get(key);
        }

        @Override
        public void put(CacheEntry entry) {
            puts.add(entry.key());
            store.put(entry);
        }

        @Override
        public long invalidationMark() {
            return store.invalidationMark();
        }

        @Override
        public boolean put(CacheEntry entry, Set<String> tags, long mark) {
            puts.add(entry.key());
            return store.put(entry, tags, mark);
        }

        @Override
        public boolean evicts() {
            return store.evicts();
        }

        @Override
        public long evict(Set<String> tags) {
            return store.evict(tags);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
