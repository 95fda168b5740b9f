package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.VariantKeys;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the {@code Vary} variants of one key side by side. The primary key holds the variant stored last, so the
 * common hit stays one read; every variant is also stored under its {@link VariantKeys variant key}, which a request
 * whose header values the primary entry does not match reads next (a second read for the other variants only).
 *
 * <p>At most {@code max} variant copies of one key are kept per instance, so that a client sending ever new values
 * (an {@code Accept-Language} per request) cannot fill the store with one URL: a variant beyond them is stored under
 * the primary key only, as before, until one of the kept copies has left the store. The count is kept for the
 * {@value #KEYS} keys whose variants were stored most recently; a key forgotten (older than all of those) starts a
 * new count.
 */
final class Variants {

    /** {@code responsecache.max-variants} when not set. */
    static final int DEFAULT_MAX = 8;
    /** The largest {@code responsecache.max-variants} accepted. */
    static final int LARGEST_MAX = 64;
    /** How many keys' counts are kept. */
    static final int KEYS = 16_384;

    private final int max;
    private final Map<String, Kept> counts = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > KEYS;
        }
    };

    Variants(int max) {
        if (max < 0 || max > LARGEST_MAX) {
            throw new IllegalArgumentException("max variants out of range: " + max);
        }
        this.max = max;
    }

    /** {@code responsecache.max-variants}, checked. */
    static Variants from(PropertyValues properties) {
        int max = properties.nonNegativeInt(ResponseCacheProperties.MAX_VARIANTS, DEFAULT_MAX);
        if (max > LARGEST_MAX) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.MAX_VARIANTS, String.valueOf(max),
                    "0 to " + LARGEST_MAX);
        }
        return new Variants(max);
    }

    int max() {
        return max;
    }

    /**
     * The key of the variant to read for {@code request} when {@code primary}, the entry read at {@code key}, was
     * stored for other values of the headers it varies on; null when there is no other variant to look for.
     */
    String keyFor(CacheEntry primary, String key, CacheRequest request) {
        // Cheapest first: a hit on an entry without Vary, or on the latest variant, pays for no more than this.
        if (max == 0 || primary == null || primary.varyValues().isEmpty()
                || FreshnessRules.varyMatches(primary, request) || !primary.key().equals(key)) {
            return null;
        }
        List<CacheEntry.VaryValue> values = new ArrayList<>(primary.varyValues().size());
        for (CacheEntry.VaryValue stored : primary.varyValues()) {
            values.add(new CacheEntry.VaryValue(stored.name(), KeyedValues.header(request, stored.name())));
        }
        return VariantKeys.of(key, values);
    }

    /** The entry read at {@code variantKey}, as the entry of {@code key} it answers for; null when it is not one. */
    static CacheEntry answering(CacheEntry read, String variantKey, String key) {
        return read != null && read.key().equals(variantKey) ? read.withKey(key) : null;
    }

    /**
     * The copy of {@code entry} (just stored under its primary key) to store under its variant key, or null when it
     * varies on nothing, or when this key already has its {@code max} copies.
     */
    CacheEntry copyToStore(CacheEntry entry, long nowMillis) {
        if (max == 0 || entry.varyValues().isEmpty() || VariantKeys.isVariant(entry.key())) {
            return null;
        }
        String variantKey = VariantKeys.of(entry.key(), entry.varyValues());
        long retainedMillis = entry.retainedMillis(nowMillis);
        long until = retainedMillis > Long.MAX_VALUE - nowMillis ? Long.MAX_VALUE : nowMillis + retainedMillis;
        synchronized (counts) {
            Kept kept = counts.computeIfAbsent(entry.key(), primary -> new Kept(max));
            if (!kept.admit(id(variantKey), until, nowMillis)) {
                return null;
            }
        }
        return entry.withKey(variantKey);
    }

    /** 64 bits of the variant key's digest suffix: enough to tell a key's few variants apart. */
    private static long id(String variantKey) {
        long id = 0;
        for (int i = variantKey.length() - 43; i < variantKey.length(); i++) {
            id = 31 * id + variantKey.charAt(i);
        }
        return id;
    }

    /** The variant copies one key has in the store, and until when each stays there. */
    private static final class Kept {
        private final long[] ids;
        private final long[] until;
        private int size;

        Kept(int max) {
            ids = new long[max];
            until = new long[max];
        }

        boolean admit(long id, long retainedUntil, long nowMillis) {
            int live = 0;
            boolean known = false;
            for (int i = 0; i < size; i++) {
                if (ids[i] == id) {
                    known = true;
                    until[i] = Math.max(until[i], retainedUntil);
                }
                if (until[i] > nowMillis) {
                    ids[live] = ids[i];
                    until[live] = until[i];
                    live++;
                }
            }
            size = live;
            if (known) {
                return true;
            }
            if (size == ids.length) {
                return false;
            }
            ids[size] = id;
            until[size] = retainedUntil;
            size++;
            return true;
        }
    }
}
