package dev.responsecache.ehcache;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;
import dev.responsecache.spi.ResponseStore;
import dev.responsecache.spi.ResponseStoreProvider;
import dev.responsecache.spi.StoreContext;

/** {@code responsecache.store=ehcache} (the default): an embedded, bounded, per-instance store. */
public final class EhcacheStoreProvider implements ResponseStoreProvider {

    /**
     * The heap tier's default share of the JVM's maximum heap: small enough that the cache never starves the
     * application it serves (entries are weighed by their bytes), large enough to hold a useful working set.
     */
    static final int DEFAULT_HEAP_FRACTION = 10;

    @Override
    public String name() {
        return "ehcache";
    }

    @Override
    public ResponseStore create(StoreContext context) {
        Bounds bounds = Bounds.from(context.properties());
        try {
            return new EhcacheStore(bounds.heapBytes(), bounds.maxEntries(), bounds.offHeapBytes(), context.clock());
        } catch (RuntimeException | Error e) {
            if (unsafeDenied(e)) {
                throw unsafeDeniedError(e);
            }
            throw e;
        }
    }

    /**
     * Whether Ehcache could not be made because the JVM refuses {@code sun.misc.Unsafe} (on JDK 24 and later with
     * {@code --sun-misc-unsafe-memory-access=deny}, which a later JDK is to make its default): Ehcache's heap tier is
     * built on its own copy of {@code ConcurrentHashMap}, which cannot work without it. The JVM says so with an
     * {@code UnsupportedOperationException} thrown from {@code sun.misc.Unsafe}, wrapped in the {@code Error} of the
     * class that failed to initialize; every later attempt gets that class's {@code NoClassDefFoundError}.
     */
    static boolean unsafeDenied(Throwable failure) {
        Throwable cause = failure;
        // Bounded: a chain of causes may loop back on itself.
        for (int depth = 0; cause != null && depth < 16; depth++, cause = cause.getCause()) {
            if (cause instanceof NoClassDefFoundError && String.valueOf(cause.getMessage())
                    .contains("org.ehcache.impl.internal.concurrent.")) {
                return true;
            }
            if (cause instanceof UnsupportedOperationException) {
                for (StackTraceElement frame : cause.getStackTrace()) {
                    if (frame.getClassName().equals("sun.misc.Unsafe")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The start-up error that says why the store cannot be made and what to do, in place of Ehcache's own. */
    static ResponseCacheConfigException unsafeDeniedError(Throwable failure) {
        return new ResponseCacheConfigException("The Ehcache store (" + ResponseCacheProperties.STORE
                + "=ehcache, the default) cannot start on this JVM: Ehcache's heap tier needs sun.misc.Unsafe, which"
                + " the JVM refuses (--sun-misc-unsafe-memory-access=deny). Start the JVM with"
                + " --sun-misc-unsafe-memory-access=warn (or allow), or set " + ResponseCacheProperties.STORE
                + "=redis", failure);
    }

    @Override
    public void checkSettings(PropertyValues properties) {
        Bounds.from(properties);
    }

    /** The tiers' bounds: the heap tier by bytes or (when {@code maxEntries > 0}) by count, and the off-heap one. */
    private record Bounds(long heapBytes, int maxEntries, long offHeapBytes) {

        static Bounds from(PropertyValues properties) {
            long offHeapBytes = properties.size(ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE, 0);
            String entries = properties.string(ResponseCacheProperties.EHCACHE_MAX_ENTRIES);
            if (entries == null) {
                // Ehcache requires each tier to be smaller than the one below it.
                long heapDefault = offHeapBytes > 0 ? Math.min(defaultHeapBytes(), offHeapBytes / 2)
                        : defaultHeapBytes();
                long heapBytes = properties.size(ResponseCacheProperties.EHCACHE_HEAP_SIZE, heapDefault);
                if (heapBytes <= 0 || (offHeapBytes > 0 && heapBytes >= offHeapBytes)) {
                    throw ResponseCacheConfigException.badValue(ResponseCacheProperties.EHCACHE_HEAP_SIZE,
                            properties.string(ResponseCacheProperties.EHCACHE_HEAP_SIZE), offHeapBytes > 0
                                    ? "a positive size below " + ResponseCacheProperties.EHCACHE_OFFHEAP_SIZE
                                    : "a positive size");
                }
                return new Bounds(heapBytes, 0, offHeapBytes);
            }
            if (properties.string(ResponseCacheProperties.EHCACHE_HEAP_SIZE) != null) {
                throw ResponseCacheConfigException.badValue(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, entries,
                        "unset when " + ResponseCacheProperties.EHCACHE_HEAP_SIZE + " is set (the heap tier is"
                                + " bounded either by bytes or by count)");
            }
            return new Bounds(0, properties.positiveInt(ResponseCacheProperties.EHCACHE_MAX_ENTRIES, 1), offHeapBytes);
        }
    }

    /** A tenth of the maximum heap ({@code -Xmx}); with an off-heap tier, at most half of that tier. */
    static long defaultHeapBytes() {
        return Runtime.getRuntime().maxMemory() / DEFAULT_HEAP_FRACTION;
    }
}
