package dev.responsecache.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

class EntryCodecTest {

    private static CacheEntry sample() {
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        return new CacheEntry("k1p2:/ä", 203,
                List.of(new Header("Content-Type", "text/plain; charset=utf-8"), new Header("X-Multi", "1"),
                        new Header("X-Multi", "ünïcödé"), new Header("ETag", "\"abc\"")),
                body, 1_000L, 61_000L,
                List.of(new CacheEntry.VaryValue("accept-language", "fr"), new CacheEntry.VaryValue("x-a", null)),
                new StaleWindows(30_000, 600_000), List.of("product-42", "prïce"));
    }

    private static byte[] body(CacheEntry entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry.writeBody(out);
        return out.toByteArray();
    }

    @Test
    void roundTripKeepsEveryField() throws IOException {
        CacheEntry original = sample();
        CacheEntry decoded = EntryCodec.decode(EntryCodec.encode(original));
        assertEquals(original.key(), decoded.key());
        assertEquals(original.status(), decoded.status());
        assertEquals(original.headers(), decoded.headers());
        assertArrayEquals(body(original), body(decoded));
        assertEquals(original.storedAtMillis(), decoded.storedAtMillis());
        assertEquals(original.expiresAtMillis(), decoded.expiresAtMillis());
        assertEquals(original.varyValues(), decoded.varyValues());
        assertEquals("\"abc\"", decoded.etag());
        assertEquals(new StaleWindows(30_000, 600_000), decoded.staleWindows());
        assertEquals(List.of("product-42", "prïce"), decoded.responseTags());
    }

    /**
     * The {@code Cache-Status} lines an application relays are kept as it sent them, whatever they hold: an empty
     * line, a padded one, one past ASCII, a very long one and a thousand more. They round-trip byte for byte, and
     * the members a hit lists before its own are the same before and after.
     */
    @Test
    void oddCacheStatusLinesRoundTripAndJoinAlike() {
        String accented = "Edge; detail=\"\u00e9t\u00e9 \u20ac\"";
        List<Header> headers = new ArrayList<>(List.of(new Header("Cache-Status", ""),
                new Header("cache-status", "  Origin; hit  "), new Header("Cache-Status", accented),
                new Header("Cache-Status", "Long; detail=\"" + "x".repeat(100_000) + "\""),
                new Header("Cache-Status", " \t ")));
        for (int i = 0; i < 1000; i++) {
            headers.add(new Header("Cache-Status", "C" + i + "; hit"));
        }
        CacheEntry original = new CacheEntry("k", 200, headers, new byte[] {1}, 1_000L, 61_000L, List.of());
        CacheEntry decoded = EntryCodec.decode(EntryCodec.encode(original));
        assertEquals(original.headers(), decoded.headers());
        String members = decoded.cacheStatusMembers();
        assertEquals(original.cacheStatusMembers(), members);
        assertTrue(members.startsWith("Origin; hit, " + accented + ", Long; detail=\"xxx"), members.substring(0, 60));
        assertTrue(members.contains("xxx\", C0; hit, C1; hit, ") && members.endsWith(", C998; hit, C999; hit"),
                members.substring(members.length() - 40));
        assertNull(new CacheEntry("k", 200, List.of(new Header("Cache-Status", " ")), new byte[0], 1_000L, 61_000L,
                List.of()).cacheStatusMembers(), "an empty line is no member");
    }

    @Test
    void versionOneEntryWithoutStaleWindowsIsUnreadableNotMisread() {
        byte[] bytes = EntryCodec.encode(sample());
        bytes[3] = 1;
        UnreadableEntryException e = assertThrows(UnreadableEntryException.class, () -> EntryCodec.decode(bytes));
        assertEquals("entry format version 1, this reader knows 4", e.getMessage());
    }

    @Test
    void layoutStartsWithMagicAndVersion() {
        byte[] bytes = EntryCodec.encode(sample());
        assertEquals("RCE", new String(bytes, 0, 3, StandardCharsets.US_ASCII));
        assertEquals(EntryCodec.VERSION, bytes[3]);
    }

    @Test
    void everyTruncationIsUnreadable() {
        byte[] bytes = EntryCodec.encode(sample());
        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThrows(UnreadableEntryException.class, () -> EntryCodec.decode(truncated), "length " + length);
        }
    }

    @Test
    void everyFlippedByteIsUnreadable() {
        byte[] bytes = EntryCodec.encode(sample());
        for (int i = 0; i < bytes.length; i++) {
            byte[] corrupted = bytes.clone();
            corrupted[i] ^= 0x5A;
            assertThrows(UnreadableEntryException.class, () -> EntryCodec.decode(corrupted), "byte " + i);
        }
    }

    @Test
    void anotherVersionIsUnreadable() {
        byte[] bytes = EntryCodec.encode(sample());
        bytes[3] = (byte) (EntryCodec.VERSION + 1);
        UnreadableEntryException error = assertThrows(UnreadableEntryException.class,
                () -> EntryCodec.decode(bytes));
        assertEquals("entry format version 5, this reader knows 4", error.getMessage());
    }

    private static CacheEntry gzipSample() throws IOException {
        CacheEntry identity = sample();
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            identity.writeBody(out);
        }
        return identity.withGzipBody(gzip.toByteArray());
    }

    @Test
    void gzipBodyRoundTripsWithItsIdentityLength() throws IOException {
        CacheEntry original = gzipSample();
        CacheEntry decoded = EntryCodec.decode(EntryCodec.encode(original));
        assertTrue(decoded.gzipped());
        assertEquals(300, decoded.bodyLength());
        assertEquals(original.storedBodyLength(), decoded.storedBodyLength());
        assertArrayEquals(body(sample()), body(decoded));
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        decoded.writeStoredBody(stored);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        original.writeStoredBody(expected);
        assertArrayEquals(expected.toByteArray(), stored.toByteArray());
        assertEquals("\"abc\"", decoded.etag());
    }

    @Test
    void everyFlippedByteOfAGzipEntryIsUnreadable() throws IOException {
        byte[] bytes = EntryCodec.encode(gzipSample());
        for (int i = 0; i < bytes.length; i++) {
            byte[] corrupted = bytes.clone();
            corrupted[i] ^= 0x5A;
            assertThrows(UnreadableEntryException.class, () -> EntryCodec.decode(corrupted), "byte " + i);
        }
    }

    /** The version-2 layout (no ETag-origin byte, no content-coding byte) is still read, as an identity body. */
    @Test
    void versionTwoEntryIsReadAsAnIdentityBodyWithoutResponseTags() throws IOException {
        CacheEntry untagged = sample().withResponseTags(List.of());
        byte[] current = EntryCodec.encode(untagged);
        int codingAt = current.length - 4 - 300 - 4 - 1;
        assertEquals(0, current[codingAt]);
        int originAt = codingAt - 1;
        assertEquals(0, current[originAt]);
        // Version 2 had neither the response tags' count (none here) nor the two bytes before the body.
        int tagsAt = originAt - 2;
        assertEquals(0, current[tagsAt]);
        assertEquals(0, current[tagsAt + 1]);
        byte[] previous = new byte[current.length - 4];
        System.arraycopy(current, 0, previous, 0, tagsAt);
        System.arraycopy(current, codingAt + 1, previous, tagsAt, current.length - codingAt - 1 - 4);
        previous[3] = 2;
        CacheEntry decoded = EntryCodec.decode(withCrc(previous));
        assertFalse(decoded.gzipped());
        assertArrayEquals(body(sample()), body(decoded));
        assertEquals(sample().headers(), decoded.headers());
        assertEquals(List.of(), decoded.responseTags());
        assertFalse(decoded.derivedETag());
    }

    /** The version-3 layout (no ETag-origin byte) is still read, its ETag taken as the response's own. */
    @Test
    void versionThreeEntryIsReadWithItsEtagAsTheResponsesOwn() throws IOException {
        byte[] current = EntryCodec.encode(sample());
        int originAt = current.length - 4 - 300 - 4 - 1 - 1;
        assertEquals(0, current[originAt]);
        byte[] previous = new byte[current.length - 1];
        System.arraycopy(current, 0, previous, 0, originAt);
        System.arraycopy(current, originAt + 1, previous, originAt, current.length - originAt - 1 - 4);
        previous[3] = 3;
        CacheEntry decoded = EntryCodec.decode(withCrc(previous));
        assertEquals(sample().headers(), decoded.headers());
        assertEquals(List.of("product-42", "prïce"), decoded.responseTags());
        assertArrayEquals(body(sample()), body(decoded));
        assertFalse(decoded.derivedETag());
    }

    /**
     * Whether the ETag is the cache's own is stored, not inferred: the header-driven mode sends an origin's tag to
     * the origin, never the derived one, and the two may be the same text.
     */
    @Test
    void derivedEtagIsRecordedApartFromTheResponsesOwnTag() throws IOException {
        CacheEntry withoutTag = new CacheEntry("k", 200, List.of(new Header("Content-Type", "text/plain")),
                "body".getBytes(StandardCharsets.UTF_8), 1_000L, 61_000L, List.of());
        CacheEntry derived = EntryCodec.decode(EntryCodec.encode(withoutTag.withDerivedETag("\"d\"")));
        assertTrue(derived.derivedETag());
        assertEquals("\"d\"", derived.etag());
        assertTrue(EntryCodec.decode(EntryCodec.encode(derived.withGzipBody(gzip(body(derived))))).derivedETag());
        CacheEntry own = new CacheEntry("k", 200, List.of(new Header("ETag", "\"d\"")),
                "body".getBytes(StandardCharsets.UTF_8), 1_000L, 61_000L, List.of());
        assertFalse(EntryCodec.decode(EntryCodec.encode(own)).derivedETag());
        assertThrows(IllegalStateException.class, () -> own.withDerivedETag("\"e\""));
    }

    /** A miss that adds the derived tag builds its entry once, with the tag's line and the flag, as one copy did. */
    @Test
    void derivedEtagGivenToTheConstructorIsTheOneWithDerivedETagRecords() {
        byte[] body = "body".getBytes(StandardCharsets.UTF_8);
        CacheEntry copied = new CacheEntry("k", 200, List.of(new Header("Content-Type", "text/plain")), body, 1_000L,
                61_000L, List.of()).withDerivedETag("\"d\"");
        CacheEntry built = new CacheEntry("k", 200, List.of(new Header("Content-Type", "text/plain"),
                new Header("ETag", "\"d\"")), body, 1_000L, 61_000L, List.of(), StaleWindows.NONE, List.of(), true);
        assertTrue(built.derivedETag());
        assertArrayEquals(EntryCodec.encode(copied), EntryCodec.encode(built));
        assertThrows(IllegalArgumentException.class, () -> new CacheEntry("k", 200, List.of(), body, 1_000L, 61_000L,
                List.of(), StaleWindows.NONE, List.of(), true));
    }

    private static byte[] gzip(byte[] identity) throws IOException {
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
            out.write(identity);
        }
        return gzip.toByteArray();
    }

    private static byte[] withCrc(byte[] entry) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(entry, 0, entry.length - 4);
        java.nio.ByteBuffer.wrap(entry).putInt(entry.length - 4, (int) crc.getValue());
        return entry;
    }

    @Test
    void garbageAndTrailingBytesAreUnreadable() {
        assertThrows(UnreadableEntryException.class,
                () -> EntryCodec.decode("hello, this is not an entry at all".getBytes(StandardCharsets.UTF_8)));
        assertThrows(UnreadableEntryException.class, () -> EntryCodec.decode(null));
        byte[] bytes = EntryCodec.encode(sample());
        assertThrows(UnreadableEntryException.class, () -> EntryCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)));
    }
}
