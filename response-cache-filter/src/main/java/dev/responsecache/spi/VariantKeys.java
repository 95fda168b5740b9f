package dev.responsecache.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * The keys under which the cache keeps the other {@code Vary} variants of one response. The primary key (the
 * request's canonical key) holds the variant stored last; each variant is also stored under the primary key followed
 * by a fixed-length suffix, {@code NUL}, {@code v} and the unpadded base64url SHA-256 of the request's values of the
 * headers its {@code Vary} named (sorted by name). A store that must keep the keys of one URL together (a Redis
 * Cluster slot) finds the primary key with {@link #primaryOf(String)}. The entry at a variant key carries that key,
 * which the cache checks on every read, as it does for a primary one.
 */
public final class VariantKeys {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** {@code NUL}, {@code v}, and 43 characters of digest. */
    static final int SUFFIX_LENGTH = 2 + 43;
    private static final MessageDigest SHA_256 = sha256Instance();

    private VariantKeys() {
    }

    /** The key of the variant of {@code primaryKey} that answers requests with these header values. */
    public static String of(String primaryKey, List<CacheEntry.VaryValue> values) {
        List<CacheEntry.VaryValue> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparing(CacheEntry.VaryValue::name));
        StringBuilder text = new StringBuilder(64);
        for (CacheEntry.VaryValue value : sorted) {
            text.append(value.name().length()).append(':').append(value.name());
            if (value.value() == null) {
                text.append('-');
            } else {
                text.append('=').append(value.value().length()).append(':').append(value.value());
            }
        }
        return primaryKey + "\u0000v" + digest(text.toString());
    }

    /** Whether {@code key} was made by {@link #of}. */
    public static boolean isVariant(String key) {
        int at = key.length() - SUFFIX_LENGTH;
        return at > 0 && key.charAt(at) == '\u0000' && key.charAt(at + 1) == 'v';
    }

    /** The primary key of a variant key; any other key itself. */
    public static String primaryOf(String key) {
        return isVariant(key) ? key.substring(0, key.length() - SUFFIX_LENGTH) : key;
    }

    /**
     * The unpadded base64url SHA-256 digest of {@code text}'s UTF-8 bytes (43 characters), as a variant key ends with:
     * for a store that names its keys by a digest of fixed length, whatever the URL's.
     */
    public static String digest(String text) {
        return BASE64URL.encodeToString(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A copy of a digest made once: cheaper than looking the algorithm up among the providers on every key. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return sha256Instance();
        }
    }

    private static MessageDigest sha256Instance() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
