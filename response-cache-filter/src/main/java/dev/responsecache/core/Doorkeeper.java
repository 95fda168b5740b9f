package dev.responsecache.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which keys were asked for recently, in a bounded amount of memory (TinyLFU's doorkeeper): two Bloom filters, the
 * current one and the one before. A key is recorded in the current one; once it has recorded {@code window} keys it
 * becomes the one before and an empty one takes its place, so a sighting is remembered for between one and two windows
 * of other keys, then forgotten. Each filter is blocked: a key's three bits lie in one 64-bit word, so that asking
 * about a key reads one word of each filter (in memory that is mostly cold) and recording it sets one. A false "seen"
 * (about 0.2% at a full window of 60,000 keys, where two bits per key in two words of a filter half the size took
 * about 1.5%) admits a response that would otherwise have waited for its key's second request, and stores it: each
 * costs a put with its eviction, a capture and the collector's copying, far more than the refused miss it stands for.
 * Safe for concurrent use: a sighting lost to a race is a key admitted one request later.
 */
final class Doorkeeper {

    /** Bits per key a filter is sized for: 32, so that three bits per key set about 9% of them. */
    private static final int BITS_PER_KEY = 32;
    /** The largest filter: 2^24 bits (2 MiB); a larger window shares it, at a higher false "seen" rate. */
    private static final int MAX_BITS_LOG2 = 24;

    private final int window;
    /** Selects a key's word in a filter. */
    private final int wordMask;
    private final AtomicInteger recorded = new AtomicInteger();
    private volatile AtomicLongArray current;
    private volatile AtomicLongArray previous;

    /** @param window how many keys a filter records before it is rotated out: about the entries the store holds */
    Doorkeeper(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window < 1: " + window);
        }
        this.window = window;
        long bits = (long) window * BITS_PER_KEY;
        int log2 = Math.min(MAX_BITS_LOG2, Math.max(6, 64 - Long.numberOfLeadingZeros(bits - 1)));
        this.wordMask = (1 << (log2 - 6)) - 1;
        this.current = new AtomicLongArray(1 << (log2 - 6));
        this.previous = new AtomicLongArray(1 << (log2 - 6));
    }

    /** How many keys a filter records before it is rotated out. */
    int window() {
        return window;
    }

    /** True when {@code key} was recorded within the last one or two windows; else records it and answers false. */
    boolean seenElseRecord(String key) {
        long hash = spread(key.hashCode());
        int word = (int) hash & wordMask;
        long bits = bits(hash);
        AtomicLongArray now = current;
        if (holds(now, word, bits) || holds(previous, word, bits)) {
            return true;
        }
        record(now, word, bits);
        return false;
    }

    /**
     * Records {@code key} in the current filter unless it holds it already, so that it is remembered for one more
     * window at least: a sighting in the filter before would be forgotten at the next rotation.
     */
    void renew(String key) {
        long hash = spread(key.hashCode());
        int word = (int) hash & wordMask;
        long bits = bits(hash);
        AtomicLongArray now = current;
        if (!holds(now, word, bits)) {
            record(now, word, bits);
        }
    }

    private void record(AtomicLongArray now, int word, long bits) {
        long seen = now.get(word);
        while ((seen & bits) != bits && !now.weakCompareAndSetVolatile(word, seen, seen | bits)) {
            seen = now.get(word);
        }
        if (recorded.incrementAndGet() >= window) {
            rotate();
        }
    }

    /**
     * Rotates once the count says a window is full, whichever filter the caller recorded in: a caller that read the
     * current filter before another rotated it may be the one whose count reaches the window, and a rotation that
     * waited for the count to equal the window once more, or for the caller's filter to be current, never came, the
     * filter then filling until every key was "seen".
     */
    private synchronized void rotate() {
        if (recorded.get() < window) {
            return;
        }
        previous = current;
        current = new AtomicLongArray(previous.length());
        recorded.set(0);
    }

    private static boolean holds(AtomicLongArray words, int word, long bits) {
        return (words.get(word) & bits) == bits;
    }

    /** A key's three bits within its word, from the hash's upper half (its lower bits chose the word). */
    private static long bits(long hash) {
        return 1L << (hash >>> 40) | 1L << (hash >>> 46) | 1L << (hash >>> 52);
    }

    /** Two well-mixed 32-bit halves from the key's hash (Stafford's variant 13 of the MurmurHash3 finalizer). */
    private static long spread(int hash) {
        long z = hash * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
