package dev.responsecache.spi;

/**
 * What one tier of a store holds, for metrics: entries and bytes, and how many entries it has evicted; each -1 when
 * the tier cannot tell.
 *
 * @param tier a short fixed name: {@code heap}, {@code offheap}, {@code near}
 */
public record TierSize(String tier, long entries, long bytes, long evictions) {

    public TierSize {
        if (tier == null || tier.isBlank()) {
            throw new IllegalArgumentException("tier must be named");
        }
    }
}
