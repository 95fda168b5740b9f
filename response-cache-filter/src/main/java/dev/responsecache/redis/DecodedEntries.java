package dev.responsecache.redis;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The entry each of a few recently read keys last decoded to, with its Redis key, so that a hit whose {@code GET}
 * answered the very bytes it answered last time is not decoded (nor its key digested) again: the same entry object is
 * handed out, with what it derived at first use (its gzip headers), as an Ehcache hit hands out the entry it holds.
 *
 * <p>Not a copy of Redis: Redis is still read on every hit, and the decoded entry is reused only when the bytes just
 * read equal, byte for byte, the bytes it was decoded from, under the same canonical key (which holds the variant,
 * the representation and anything else the response depends on). Decoding is a pure function of those bytes, so the
 * answer is the one decoding them again would give, however the key was written or evicted meanwhile: bytes that
 * differ (a new store, another instance's write, a corrupted value) are decoded (and checked) as before.
 *
 * <p>Bounded: {@link #SLOTS} slots, each keeping at most one key, chosen by the key's hash (a newer key replaces an
 * older one in its slot), and values longer than {@link #MAX_VALUE_BYTES} are never kept. A slot holds about twice its
 * value (the Redis reply and the entry decoded from it): some 8 MiB at worst, about 2.3 KiB a slot for a 1 KiB body.
 * Slots are replaced whole, an immutable memo behind a plain array element: a thread may read an older memo, which is
 * only ever compared, never trusted.
 */
final class DecodedEntries {

    /** A power of two: the slot is the key's spread hash masked. */
    static final int SLOTS = 256;
    /** Larger values are decoded on every hit: the copy saved is small beside their transfer. */
    static final int MAX_VALUE_BYTES = 16 * 1024;

    /** A canonical key, its Redis key, the bytes Redis held and the entry they decode to (both null: nothing held). */
    private record Memo(String key, byte[] redisKey, byte[] value, CacheEntry entry) {
    }

    private final Memo[] slots = new Memo[SLOTS];
    private final Function<String, byte[]> redisKeys;

    DecodedEntries(Function<String, byte[]> redisKeys) {
        this.redisKeys = redisKeys;
    }

    /** The Redis key of {@code key}: the one its slot remembers, else digested anew. */
    byte[] redisKey(String key) {
        Memo memo = slots[slot(key)];
        return memo != null && memo.key.equals(key) ? memo.redisKey : redisKeys.apply(key);
    }

    /**
     * The bytes {@code key} last decoded from, or null: a read may hand these back instead of a copy of equal bytes
     * (never written to, only compared).
     */
    byte[] lastValue(String key) {
        Memo memo = slots[slot(key)];
        return memo != null && memo.key.equals(key) ? memo.value : null;
    }

    /**
     * The entry {@code value}, just read at {@code redisKey} for {@code key}, decodes to: the one decoded last time
     * when the bytes are the same, else a new decoding, remembered for the next read.
     *
     * @throws dev.responsecache.spi.UnreadableEntryException as {@link EntryCodec#decode} does
     */
    CacheEntry decoded(String key, byte[] redisKey, byte[] value) {
        int slot = slot(key);
        Memo memo = slots[slot];
        if (memo != null && memo.entry != null && memo.key.equals(key) && Arrays.equals(memo.value, value)) {
            return memo.entry;
        }
        CacheEntry entry = EntryCodec.decode(value);
        if (value.length <= MAX_VALUE_BYTES) {
            slots[slot] = new Memo(key, redisKey, value, entry);
        }
        return entry;
    }

    /** Redis held nothing (or nothing usable) at {@code key}: its memo holds no bytes any longer. */
    void absent(String key) {
        int slot = slot(key);
        Memo memo = slots[slot];
        if (memo != null && memo.entry != null && memo.key.equals(key)) {
            slots[slot] = new Memo(key, memo.redisKey, null, null);
        }
    }

    static int slot(String key) {
        int hash = key.hashCode();
        return (hash ^ (hash >>> 16)) & (SLOTS - 1);
    }
}
