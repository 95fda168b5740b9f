package dev.responsecache.core;

/**
 * One store read a peek made for a request it did not answer (a miss, or an entry that only the lookup behind it may
 * use, such as a stale one within stale-while-revalidate): carried on the request to that lookup, which takes it as
 * its own read instead of reading the store again. The generation is the one read before the store was, as the lookup
 * itself would have read it, so an eviction in between is seen as it would have been.
 *
 * @param key        the key read
 * @param entry      what the store returned (null: nothing)
 * @param generation the coalescing generation read before the store read
 * @param spentNanos the time the read took, charged to the request's store budget
 * @param shared     whether the entry was read past this instance's near tier: the lookup need not read it again
 * @param unasked    why the store could not be asked (a {@link Lookup} bypass detail), or null when it answered
 */
record PeekedRead(String key, dev.responsecache.spi.CacheEntry entry, long generation, long spentNanos,
                  boolean shared, String unasked) {
}
