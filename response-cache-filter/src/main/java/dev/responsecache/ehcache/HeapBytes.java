package dev.responsecache.ehcache;

import org.ehcache.config.ResourcePool;
import org.ehcache.config.ResourceType;
import org.ehcache.config.ResourceUnit;
import org.ehcache.config.SizedResourcePool;
import org.ehcache.config.units.MemoryUnit;

/**
 * The heap tier's bound in bytes, as a pool of our own rather than through {@code ResourcePoolsBuilder.heap(n,
 * MemoryUnit.B)}. Ehcache's pool class logs, from its constructor and at INFO, that byte-based heap resources are
 * deprecated: on every start, for a setting the user never chose (bytes are our default) and cannot act on. Ehcache
 * (3.10 up to its 3.12 line) has no other bound in bytes for objects on the heap: the off-heap tier is bounded in
 * bytes but decodes every hit. So the bound stays, the deprecation is tracked where it matters ({@link EntryWeigher}
 * and docs/ARCHITECTURE.md), and the notice is not produced; Ehcache's loggers are left alone, so an application's
 * own byte-sized caches still log it.
 *
 * <p>{@code SizedResourcePool} is Ehcache's public configuration interface; the heap store reads only the type, the
 * size and the unit of it.
 */
record HeapBytes(long bytes) implements SizedResourcePool {

    HeapBytes {
        if (bytes <= 0) {
            throw new IllegalArgumentException("heap bound must be positive: " + bytes);
        }
    }

    @Override
    public ResourceType<SizedResourcePool> getType() {
        return ResourceType.Core.HEAP;
    }

    @Override
    public long getSize() {
        return bytes;
    }

    @Override
    public ResourceUnit getUnit() {
        return MemoryUnit.B;
    }

    @Override
    public boolean isPersistent() {
        return false;
    }

    /** The rules of Ehcache's own sized pool: same type, same persistence, same kind of unit, positive size. */
    @Override
    public void validateUpdate(ResourcePool newPool) {
        if (!(newPool instanceof SizedResourcePool sized) || !getType().equals(newPool.getType())
                || newPool.isPersistent() || !(sized.getUnit() instanceof MemoryUnit) || sized.getSize() <= 0) {
            throw new IllegalArgumentException("the heap tier's " + this + " cannot be replaced by " + newPool);
        }
    }

    @Override
    public String toString() {
        return "Pool {" + bytes + " B heap}";
    }
}
