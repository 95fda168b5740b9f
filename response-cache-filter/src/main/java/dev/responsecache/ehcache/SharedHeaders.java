package dev.responsecache.ehcache;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import java.util.List;

/**
 * One instance of each header line that many stored entries repeat (a method's {@code Content-Type}, its
 * {@code Cache-Control} or {@code Vary}), so that the heap tier keeps it once rather than once per entry: a header, its
 * value and that value's bytes are three objects that every stored miss would otherwise keep until it leaves the
 * store, which the collector copies and scans each time. The {@code ETag} is left out: the cache derives it from the
 * body, so two entries share it only when they share their body, and pooling it would only overwrite slots.
 *
 * <p>A direct-mapped table of a fixed number of slots, each holding the latest line whose hash falls in it: bounded
 * whatever the application sends, nothing to expire, and a line seen once (a {@code Last-Modified}) only takes a slot
 * until another line needs it. Slots are read and written without a lock: a {@link Header} is immutable (final
 * fields), so a racing reader sees either a whole line or another one, and a lost write only costs a copy kept.
 */
final class SharedHeaders {

    private static final int SLOTS = 256;

    private final Header[] slots = new Header[SLOTS];

    /** {@code entry}, or the same entry holding the shared instances of its header lines that were seen before. */
    CacheEntry shared(CacheEntry entry) {
        List<Header> headers = entry.headers();
        Header[] replaced = null;
        for (int i = 0; i < headers.size(); i++) {
            Header header = headers.get(i);
            if (header.is("ETag")) {
                continue;
            }
            int hash = header.hashCode();
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            Header held = slots[slot];
            if (held == header) {
                continue;
            }
            if (header.equals(held)) {
                if (replaced == null) {
                    replaced = headers.toArray(new Header[0]);
                }
                replaced[i] = held;
            } else {
                slots[slot] = header;
            }
        }
        return replaced == null ? entry
                : entry.withHeaders(List.of(replaced), entry.storedAtMillis(), entry.expiresAtMillis());
    }
}
