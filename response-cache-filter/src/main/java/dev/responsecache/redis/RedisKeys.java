package dev.responsecache.redis;

import dev.responsecache.spi.EntryCodec;
import dev.responsecache.spi.VariantKeys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Redis keys: the prefix, the entry format version, the key layout version, and the SHA-256 digest of the canonical
 * key in unpadded base64url as a hash tag, e.g. {@code rc:v4:k2:{n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg}}. Keys
 * stay short and of one length however long the URL; the canonical key stored inside each entry settles any
 * collision. The versions keep instances that write different formats or layouts (during a rolling upgrade) out of
 * each other's way, instead of overwriting each other's entries as unreadable or missing each other's index. The hash
 * tag puts every key about one entry (the entry, and whatever else is keyed by its digest) in one Redis Cluster slot.
 * A {@link VariantKeys variant} of an entry is kept under the hash tag of its primary key followed by the digest of
 * its own key, e.g. {@code rc:v4:k2:{n4bQ...Cgg}:v:Xk2p...}, so that every variant of one URL is in the slot of the
 * entry (and of its lease).
 */
final class RedisKeys {

    /**
     * The layout of keys beside the entry format: 2 since keys carry Cluster hash tags (1 had none, and kept a tag's
     * set and its eviction epoch in different slots). See docs/REDIS.md.
     */
    static final int LAYOUT = 2;

    private final byte[] prefix;

    RedisKeys(String prefix) {
        this.prefix = (prefix + "v" + EntryCodec.VERSION + ":k" + LAYOUT + ":{").getBytes(StandardCharsets.UTF_8);
    }

    byte[] of(String canonicalKey) {
        if (VariantKeys.isVariant(canonicalKey)) {
            byte[] primary = of(VariantKeys.primaryOf(canonicalKey));
            byte[] own = (":v:" + digest(canonicalKey)).getBytes(StandardCharsets.UTF_8);
            byte[] key = Arrays.copyOf(primary, primary.length + own.length);
            System.arraycopy(own, 0, key, primary.length, own.length);
            return key;
        }
        byte[] digest = VariantKeys.digest(canonicalKey).getBytes(StandardCharsets.US_ASCII);
        byte[] key = Arrays.copyOf(prefix, prefix.length + digest.length + 1);
        System.arraycopy(digest, 0, key, prefix.length, digest.length);
        key[key.length - 1] = '}';
        return key;
    }

    /** The unpadded base64url SHA-256 digest of {@code text}, as used in keys ({@link VariantKeys#digest}). */
    static String digest(String text) {
        return VariantKeys.digest(text);
    }
}
