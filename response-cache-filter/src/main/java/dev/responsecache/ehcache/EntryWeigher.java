package dev.responsecache.ehcache;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.Header;

import org.ehcache.config.ResourceUnit;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.core.spi.store.Store;
import org.ehcache.core.spi.store.heap.SizeOfEngine;
import org.ehcache.core.spi.store.heap.SizeOfEngineProvider;
import org.ehcache.spi.service.Service;
import org.ehcache.spi.service.ServiceConfiguration;
import org.ehcache.spi.service.ServiceProvider;

/**
 * Weighs a heap entry by what it holds (body, headers, key) plus a fixed allowance for the objects around them,
 * instead of Ehcache's default, which walks every object graph by reflection on each put. An entry's size is known
 * exactly from its fields, so the heap tier can be bounded in bytes at no cost per request. Given to Ehcache through
 * its public service SPI ({@code SizeOfEngineProvider}), only for a heap tier sized in bytes.
 *
 * <p>Ehcache 3.10 deprecates this SPI together with its reflective sizing, with no replacement in the 3.x line; a
 * heap tier sized in bytes remains supported, and this weigher uses none of the deprecated reflection. Should a later
 * Ehcache drop byte-sized heaps, the off-heap tier ({@code responsecache.ehcache.offheap-size}) is the bound in bytes
 * that remains.
 */
@SuppressWarnings("deprecation")
final class EntryWeigher implements SizeOfEngineProvider, SizeOfEngine {

    /**
     * The objects around the bytes of one entry: Ehcache's map node and value holder, the entry, its lists and
     * arrays. Measured: a 1 KiB body costs 1.39 KiB of heap (docs/PERFORMANCE.md, "Heap per cached entry").
     */
    static final long ENTRY_OVERHEAD = 256;
    /** A String's header and its byte array's header (compact strings: one byte per Latin-1 character). */
    private static final long STRING_OVERHEAD = 56;

    static long weigh(String key, CacheEntry entry) {
        long bytes = ENTRY_OVERHEAD + text(key) + entry.storedBodyLength();
        for (Header header : entry.headers()) {
            bytes += 16 + text(header.name()) + text(header.value());
        }
        for (CacheEntry.VaryValue vary : entry.varyValues()) {
            bytes += 16 + text(vary.name()) + text(vary.value());
        }
        for (String tag : entry.responseTags()) {
            bytes += 8 + text(tag);
        }
        return bytes;
    }

    private static long text(String text) {
        return text == null ? 0 : STRING_OVERHEAD + text.length();
    }

    @Override
    public SizeOfEngine createSizeOfEngine(ResourceUnit unit, ServiceConfiguration<?, ?>... configurations) {
        if (!(unit instanceof MemoryUnit)) {
            throw new IllegalStateException("entries are weighed only for a heap tier sized in bytes, not " + unit);
        }
        return this;
    }

    @Override
    public <K, V> long sizeof(K key, Store.ValueHolder<V> holder) {
        return weigh((String) key, (CacheEntry) holder.get());
    }

    @Override
    public void start(ServiceProvider<Service> serviceProvider) {
        // Nothing to start: weighing needs no resources.
    }

    @Override
    public void stop() {
        // Nothing to release.
    }
}
