package dev.responsecache.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.testing.MutableClock;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An entry kept gzipped, answered to gzip and identity clients through the engine and the Ehcache store. */
class CompressedEntriesTest {

    static final byte[] JSON = ("[" + "{\"id\":1,\"name\":\"a product\",\"price\":12.5},".repeat(100) + "{}]")
            .getBytes(StandardCharsets.UTF_8);
    private static final List<Header> HEADERS = List.of(new Header("Content-Type", "application/json"));

    private final MutableClock clock = new MutableClock();
    private final ResponseCache cache = ResponseCache.start(new PropertyValues(Map.<String, Object>of(
            ResponseCacheProperties.COMPRESS, "gzip", ResponseCacheProperties.CLOCK, clock)::get));
    private final CachePolicy policy = new CachePolicy(Duration.ofSeconds(10), List.of(),
            Set.copyOf(CacheSettings.DEFAULT_STATUSES), false);
    private final FakeRequest identity = FakeRequest.get("/p", null);
    private final FakeRequest gzip = identity.withHeader("Accept-Encoding", "gzip, deflate, br");

    @AfterEach
    void close() {
        cache.close();
    }

    private CacheEntry store(FakeRequest request, List<Header> headers, byte[] body) {
        Lookup miss = cache.lookup(policy, request);
        assertEquals(Lookup.Outcome.MISS, miss.outcome());
        CacheEntry stored = cache.store(miss, 200, headers, body);
        assertNotNull(stored);
        return stored;
    }

    private static byte[] written(Lookup lookup) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        lookup.writeBody(out);
        return out.toByteArray();
    }

    private static String header(List<Header> headers, String name) {
        return Header.firstValue(headers, name);
    }

    @Test
    void gzipClientGetsTheStoredGzipBytesAndIdentityClientTheBody() throws IOException {
        CacheEntry stored = store(identity, HEADERS, JSON);
        assertTrue(stored.gzipped());
        assertTrue(stored.storedBodyLength() < JSON.length / 4, stored.storedBodyLength() + " bytes");

        Lookup zipped = cache.lookup(policy, gzip);
        assertTrue(zipped.servesGzip());
        List<Header> zippedHeaders = zipped.replayHeaders("X-Cache");
        assertEquals("gzip", header(zippedHeaders, "Content-Encoding"));
        assertEquals(stored.storedBodyLength(), zipped.replayContentLength());
        byte[] bytes = written(zipped);
        assertEquals(stored.storedBodyLength(), bytes.length);
        assertArrayEquals(JSON, new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes());

        Lookup plain = cache.lookup(policy, identity);
        assertFalse(plain.servesGzip());
        List<Header> plainHeaders = plain.replayHeaders("X-Cache");
        assertEquals(null, header(plainHeaders, "Content-Encoding"));
        assertEquals(JSON.length, plain.replayContentLength());
        assertArrayEquals(JSON, written(plain));

        String identityTag = header(plainHeaders, "ETag");
        assertEquals(identityTag.substring(0, identityTag.length() - 1) + "-gzip\"", header(zippedHeaders, "ETag"));
        assertTrue(SelectionVary.merged(zipped, List.of()).endsWith("Accept-Encoding"));
        assertTrue(SelectionVary.merged(plain, List.of()).endsWith("Accept-Encoding"));
    }

    @Test
    void eachRepresentationRevalidatesWithItsOwnTag() {
        store(identity, HEADERS, JSON);
        String identityTag = header(cache.lookup(policy, identity).replayHeaders("X-Cache"), "ETag");
        String gzipTag = header(cache.lookup(policy, gzip).replayHeaders("X-Cache"), "ETag");
        assertNotEquals(identityTag, gzipTag);

        Lookup gzip304 = cache.lookup(policy, gzip.withHeader("If-None-Match", gzipTag));
        assertEquals(Lookup.Outcome.NOT_MODIFIED, gzip304.outcome());
        assertEquals(gzipTag, header(gzip304.replayHeaders("X-Cache"), "ETag"));
        assertEquals(null, header(gzip304.replayHeaders("X-Cache"), "Content-Encoding"));
        Lookup identity304 = cache.lookup(policy, identity.withHeader("If-None-Match", identityTag));
        assertEquals(Lookup.Outcome.NOT_MODIFIED, identity304.outcome());
        assertEquals(identityTag, header(identity304.replayHeaders("X-Cache"), "ETag"));

        // A client that accepts gzip and holds the identity body (or got it under the identity tag from an
        // application's own encoder) has a current representation: a 304 about that one, with its tag.
        Lookup identityTo304 = cache.lookup(policy, gzip.withHeader("If-None-Match", identityTag));
        assertEquals(Lookup.Outcome.NOT_MODIFIED, identityTo304.outcome());
        assertFalse(identityTo304.servesGzip());
        assertEquals(identityTag, header(identityTo304.replayHeaders("X-Cache"), "ETag"));
        // A client that does not accept gzip cannot hold the gzip representation (RFC 9110 8.8.3): the body goes out.
        assertEquals(Lookup.Outcome.HIT, cache.lookup(policy, identity.withHeader("If-None-Match", gzipTag))
                .outcome());
    }

    @Test
    void rangeRequestAndHeadGetTheIdentityRangeAndGzipHeaders() throws IOException {
        store(identity, HEADERS, JSON);
        Lookup range = cache.lookup(policy, gzip.withHeader("Range", "bytes=0-9"));
        assertFalse(range.servesGzip(), "ranges apply to the identity body");
        assertArrayEquals(JSON, written(range));
        Lookup head = cache.lookup(policy, gzip.withMethod("HEAD"));
        assertTrue(head.servesGzip());
        assertFalse(head.answerHasBody());
        assertEquals("gzip", header(head.replayHeaders("X-Cache"), "Content-Encoding"));
    }

    @Test
    void responsesTheApplicationEncodesAreStoredAsTheyAre() {
        byte[] pretendGzip = JSON.clone();
        List<Header> encoded = List.of(new Header("Content-Type", "application/json"),
                new Header("Content-Encoding", "gzip"));
        CacheEntry stored = store(identity, encoded, pretendGzip);
        assertFalse(stored.gzipped());
        Lookup hit = cache.lookup(policy, gzip);
        assertFalse(hit.servesGzip());
        assertEquals(List.of("gzip"), hit.replayHeaders("X-Cache").stream()
                .filter(header -> header.is("Content-Encoding")).map(Header::value).toList());

        FakeRequest other = FakeRequest.get("/q", null);
        Lookup miss = cache.lookup(policy, other);
        miss.leaveCodingToApplication();
        assertFalse(cache.store(miss, 200, HEADERS, JSON).gzipped());
        Lookup negotiated = cache.lookup(policy, FakeRequest.get("/r", null));
        assertFalse(cache.store(negotiated, 200, HEADERS, JSON, List.of("Accept-Encoding")).gzipped());
    }

    @Test
    void smallOrIncompressibleBodiesAreStoredAsTheyAre() {
        assertFalse(store(identity, HEADERS, "{\"small\":true}".getBytes(StandardCharsets.UTF_8)).gzipped());
        byte[] random = new byte[4096];
        new java.util.Random(7).nextBytes(random);
        assertFalse(store(FakeRequest.get("/random", null), HEADERS, random).gzipped(), "gzip would not save");
    }
}
