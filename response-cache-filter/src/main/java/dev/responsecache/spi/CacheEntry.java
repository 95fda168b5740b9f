package dev.responsecache.spi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * A stored response: status, the headers to replay, the exact body bytes, when it was stored and until when it may
 * be served, plus the canonical key it was stored under (checked on read, so that a store-level collision is a miss)
 * and the request values of the headers its {@code Vary} named.
 *
 * <p>Immutable: the body array is never handed out; {@link #writeBody(OutputStream)} streams it.
 *
 * <p>The body may be kept gzip-compressed ({@link #gzipped()}, {@code responsecache.compress}): then
 * {@link #writeBody} and {@link #bodyLength()} still mean the identity body, and {@link #writeStoredBody} and
 * {@link #storedBodyLength()} the compressed bytes, which are sent as they are to a client that accepts gzip.
 */
public final class CacheEntry {

    /**
     * The longest time an entry is served, and the longest stale window: one year, the longest freshness HTTP has
     * conventionally allowed ({@code Expires} at most a year ahead). The engine caps longer settings to it, so that
     * expiry times stay far from overflowing in every store.
     */
    public static final Duration MAX_TTL = Duration.ofDays(365);

    /** A request header named by the response's {@code Vary}, and the value it had (null: absent). */
    public record VaryValue(String name, String value) {
        public VaryValue {
            Objects.requireNonNull(name, "name");
        }
    }

    private final String key;
    private final int status;
    private final List<Header> headers;
    private final byte[] body;
    private final long storedAtMillis;
    private final long expiresAtMillis;
    private final List<VaryValue> varyValues;
    private final String etag;
    /** The {@code ETag} line is the cache's, derived from the body: the response had none. */
    private final boolean derivedETag;
    private final StaleWindows staleWindows;
    private final List<String> responseTags;
    /** The body is a gzip member whose content is {@link #identityLength} bytes. */
    private final boolean gzipped;
    private final int identityLength;
    /** {@link #gzipHeaders()}, derived at first use: a racy single check, harmless since the list is immutable. */
    private List<Header> gzipHeaders;
    /** {@link #cacheStatusMembers()}, derived at first use as {@link #gzipHeaders}; empty when there are none. */
    private String cacheStatusMembers;

    public CacheEntry(String key, int status, List<Header> headers, byte[] body, long storedAtMillis,
               long expiresAtMillis, List<VaryValue> varyValues) {
        this(key, status, headers, body, storedAtMillis, expiresAtMillis, varyValues, StaleWindows.NONE);
    }

    public CacheEntry(String key, int status, List<Header> headers, byte[] body, long storedAtMillis,
               long expiresAtMillis, List<VaryValue> varyValues, StaleWindows staleWindows) {
        this(key, status, headers, body, storedAtMillis, expiresAtMillis, varyValues, staleWindows, List.of());
    }

    /**
     * @param responseTags the tags the response gave itself when it was produced (a tag header, the
     *                     {@code RESPONSE_TAGS} request attribute), beyond those the request determines (its path, URL
     *                     and declared tags): kept so that an entry stored again without running the method (a
     *                     revalidation by 304) keeps them
     */
    public CacheEntry(String key, int status, List<Header> headers, byte[] body, long storedAtMillis,
               long expiresAtMillis, List<VaryValue> varyValues, StaleWindows staleWindows,
               List<String> responseTags) {
        this(key, status, headers, body, storedAtMillis, expiresAtMillis, varyValues, staleWindows, responseTags,
                false, body.length, false);
    }

    /**
     * As the constructor above, recording whether the {@code ETag} line of {@code headers} is the one the cache
     * derived from the body ({@link #derivedETag()}): a miss that adds the tag builds its entry once with it, where
     * {@link #withDerivedETag} copies an entry built without it.
     *
     * @param derivedETag true when the (first) {@code ETag} line of {@code headers} is the cache's own
     * @throws IllegalArgumentException when {@code derivedETag} is true and {@code headers} has no {@code ETag} line
     */
    public CacheEntry(String key, int status, List<Header> headers, byte[] body, long storedAtMillis,
               long expiresAtMillis, List<VaryValue> varyValues, StaleWindows staleWindows,
               List<String> responseTags, boolean derivedETag) {
        this(key, status, headers, body, storedAtMillis, expiresAtMillis, varyValues, staleWindows, responseTags,
                false, body.length, derivedETag);
    }

    /**
     * Package access for the codec and the {@code with…} copies: a body that may be gzip-compressed, an
     * {@code ETag} line that may be the cache's own.
     */
    CacheEntry(String key, int status, List<Header> headers, byte[] body, long storedAtMillis,
               long expiresAtMillis, List<VaryValue> varyValues, StaleWindows staleWindows,
               List<String> responseTags, boolean gzipped, int identityLength, boolean derivedETag) {
        if (identityLength < 0 || !gzipped && identityLength != body.length) {
            throw new IllegalArgumentException("identity length " + identityLength + " for a body of " + body.length
                    + " bytes" + (gzipped ? " (gzip)" : ""));
        }
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        if (expiresAtMillis < storedAtMillis) {
            throw new IllegalArgumentException("expires before stored: " + expiresAtMillis + " < " + storedAtMillis);
        }
        this.key = Objects.requireNonNull(key, "key");
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = Objects.requireNonNull(body, "body");
        this.storedAtMillis = storedAtMillis;
        this.expiresAtMillis = expiresAtMillis;
        this.varyValues = List.copyOf(varyValues);
        this.etag = Header.firstValue(this.headers, "ETag");
        if (derivedETag && etag == null) {
            throw new IllegalArgumentException("a derived ETag without an ETag line");
        }
        this.derivedETag = derivedETag;
        this.staleWindows = Objects.requireNonNull(staleWindows, "staleWindows");
        this.responseTags = List.copyOf(responseTags);
        this.gzipped = gzipped;
        this.identityLength = identityLength;
    }

    public String key() {
        return key;
    }

    public int status() {
        return status;
    }

    /** The headers to replay, in the order the response had them. */
    public List<Header> headers() {
        return headers;
    }

    /** The length of the identity body (the bytes the application produced), whether or not it is kept gzipped. */
    public int bodyLength() {
        return identityLength;
    }

    /** Writes the identity body: the stored bytes, or what they decompress to when the entry is {@link #gzipped()}. */
    public void writeBody(OutputStream out) throws IOException {
        if (!gzipped) {
            out.write(body);
            return;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), Math.max(512, body.length))) {
            in.transferTo(out);
        }
    }

    /** True when the body is kept gzip-compressed: {@link #writeStoredBody} writes a gzip member. */
    public boolean gzipped() {
        return gzipped;
    }

    /**
     * The headers to replay with the stored gzip bytes of a {@link #gzipped()} entry: {@link #headers()} with each
     * {@code ETag} naming the gzip representation, {@code -gzip} inside the quotes ({@code "abc"} becomes
     * {@code "abc-gzip"}, {@code W/"abc"} becomes {@code W/"abc-gzip"}), so that the two tags never match each other
     * and a validator of either representation is recognised (Apache httpd's {@code mod_deflate} does the same).
     * Without {@code Content-Encoding}, which only a 200 carries. Derived once per entry, at its first use.
     */
    public List<Header> gzipHeaders() {
        List<Header> derived = gzipHeaders;
        if (derived == null) {
            derived = headers.stream().map(header -> header.is("ETag")
                    ? new Header(header.name(), gzipTag(header.value())) : header).toList();
            gzipHeaders = derived;
        }
        return derived;
    }

    /**
     * The members of the stored {@code Cache-Status} field lines (RFC 9211: those of the caches nearer the origin,
     * which a reply lists before its own cache's member) as one list value: each line trimmed, empty lines left out,
     * joined with {@code ", "}; null when there are none. Derived once per entry, at its first use: a hit of an
     * entry without the field then compares no header name to it.
     */
    public String cacheStatusMembers() {
        String derived = cacheStatusMembers;
        if (derived == null) {
            StringBuilder joined = new StringBuilder();
            for (Header header : headers) {
                if (header.is("Cache-Status") && !header.value().isBlank()) {
                    joined.append(joined.isEmpty() ? "" : ", ").append(header.value().trim());
                }
            }
            derived = joined.toString();
            cacheStatusMembers = derived;
        }
        return derived.isEmpty() ? null : derived;
    }

    private static String gzipTag(String etag) {
        return etag.endsWith("\"") && etag.length() >= 2
                ? etag.substring(0, etag.length() - 1) + "-gzip\"" : etag + "-gzip";
    }

    /** The number of body bytes the entry holds: the compressed length when {@link #gzipped()}. */
    public int storedBodyLength() {
        return body.length;
    }

    /** Writes the body as it is held: the gzip member when {@link #gzipped()}, else the identity body. */
    public void writeStoredBody(OutputStream out) throws IOException {
        out.write(body);
    }

    /**
     * This entry with its identity body replaced by {@code gzip}, a gzip member that decompresses to it. The caller
     * vouches for that; the codec checks the member's length field on every read.
     */
    public CacheEntry withGzipBody(byte[] gzip) {
        if (gzipped) {
            throw new IllegalStateException("already gzipped: " + this);
        }
        return new CacheEntry(key, status, headers, gzip, storedAtMillis, expiresAtMillis, varyValues, staleWindows,
                responseTags, true, body.length, derivedETag);
    }

    public long storedAtMillis() {
        return storedAtMillis;
    }

    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    /** Time to live left at {@code nowMillis}, never negative. */
    public long remainingMillis(long nowMillis) {
        return Math.max(0, expiresAtMillis - nowMillis);
    }

    /** How long past {@link #expiresAtMillis()} the entry may still be used, and for what. */
    public StaleWindows staleWindows() {
        return staleWindows;
    }

    /**
     * How long a store should keep the entry from {@code nowMillis}: until its expiry plus the longer stale window,
     * never negative. Stores let the entry expire by itself after that; they must not keep it longer.
     */
    public long retainedMillis(long nowMillis) {
        long pastExpiry = staleWindows.retainedPastExpiryMillis();
        long untilExpiry = expiresAtMillis - nowMillis;
        if (untilExpiry < -pastExpiry) {
            return 0;
        }
        // Saturates rather than wraps for an entry whose expiry is absurdly far ahead of this clock.
        return untilExpiry > Long.MAX_VALUE - pastExpiry ? Long.MAX_VALUE : untilExpiry + pastExpiry;
    }

    public List<VaryValue> varyValues() {
        return varyValues;
    }

    /**
     * The tags the response gave itself at run time (not its path, URL or declared tags, which its request
     * determines again); empty for most entries.
     */
    public List<String> responseTags() {
        return responseTags;
    }

    /** The same entry recording {@code tags} as the response's own (see {@link #responseTags()}). */
    public CacheEntry withResponseTags(List<String> tags) {
        return new CacheEntry(key, status, headers, body, storedAtMillis, expiresAtMillis, varyValues, staleWindows,
                tags, gzipped, identityLength, derivedETag);
    }

    /**
     * The entity tag, or null. Every 2xx entry the ttl mode stores has one: the response's own, or one the cache
     * derived from the body ({@link #derivedETag()}).
     */
    public String etag() {
        return etag;
    }

    /**
     * True when the {@code ETag} line is not one the response carried but the one the cache added, derived from the
     * body (the ttl mode's, for a 2xx response without a tag): the cache answers its clients' {@code If-None-Match}
     * with it, but never sends it to the origin, which did not issue it. Recorded when the entry is made
     * ({@link #withDerivedETag}), never inferred from the tag's value: an origin running this library issues the
     * very tag the cache would derive.
     */
    public boolean derivedETag() {
        return derivedETag;
    }

    /**
     * This entry with {@code etag}, which the cache derived from the body, added as its last {@code ETag} line and
     * recorded as derived ({@link #derivedETag()}).
     *
     * @throws IllegalStateException when the entry has an {@code ETag} already
     */
    public CacheEntry withDerivedETag(String etag) {
        if (this.etag != null) {
            throw new IllegalStateException("has an ETag already: " + this);
        }
        List<Header> tagged = new ArrayList<>(headers.size() + 1);
        tagged.addAll(headers);
        tagged.add(new Header("ETag", etag));
        return new CacheEntry(key, status, tagged, body, storedAtMillis, expiresAtMillis, varyValues, staleWindows,
                responseTags, gzipped, identityLength, true);
    }

    /**
     * This entry with its {@code ETag} line recorded as the response's own, not derived ({@link #derivedETag()}):
     * the origin sent that tag (in a 304 that validated the entry), so it issues it, and a revalidation sends it back.
     */
    public CacheEntry withETagFromOrigin() {
        return !derivedETag ? this : new CacheEntry(key, status, headers, body, storedAtMillis, expiresAtMillis,
                varyValues, staleWindows, responseTags, gzipped, identityLength, false);
    }

    /**
     * The same response with new headers and lifetime, sharing this entry's body (a revalidated entry: RFC 9111
     * 4.3.4); the stale windows and response tags are this entry's. A derived tag stays recorded as derived while
     * the new headers keep it as their {@code ETag}; one the origin has now sent is its own:
     * {@link #withETagFromOrigin()}.
     */
    public CacheEntry withHeaders(List<Header> newHeaders, long newStoredAtMillis, long newExpiresAtMillis) {
        boolean keptDerived = derivedETag && etag.equals(Header.firstValue(newHeaders, "ETag"));
        return new CacheEntry(key, status, newHeaders, body, newStoredAtMillis, newExpiresAtMillis, varyValues,
                staleWindows, responseTags, gzipped, identityLength, keptDerived);
    }

    /**
     * The same response under another key, sharing this entry's body: a {@link VariantKeys variant} kept under its
     * own key, or read back from it for the key it answers.
     */
    public CacheEntry withKey(String newKey) {
        return new CacheEntry(newKey, status, headers, body, storedAtMillis, expiresAtMillis, varyValues,
                staleWindows, responseTags, gzipped, identityLength, derivedETag);
    }

    /** Package access for the codec, which must not copy. */
    byte[] bodyArray() {
        return body;
    }

    @Override
    public String toString() {
        return "CacheEntry[" + status + ", " + body.length + " bytes" + (gzipped ? " gzip of " + identityLength : "")
                + ", key=" + key + "]";
    }
}
