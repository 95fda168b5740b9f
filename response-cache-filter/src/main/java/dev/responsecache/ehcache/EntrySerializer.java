package dev.responsecache.ehcache;

import dev.responsecache.spi.CacheEntry;
import dev.responsecache.spi.EntryCodec;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.ehcache.spi.serialization.Serializer;

/** The off-heap tier's value form: the same versioned bytes the Redis store keeps. */
final class EntrySerializer implements Serializer<CacheEntry> {

    @Override
    public ByteBuffer serialize(CacheEntry entry) {
        return ByteBuffer.wrap(EntryCodec.encode(entry));
    }

    @Override
    public CacheEntry read(ByteBuffer binary) {
        return EntryCodec.decode(toArray(binary));
    }

    @Override
    public boolean equals(CacheEntry entry, ByteBuffer binary) {
        return Arrays.equals(EntryCodec.encode(entry), toArray(binary));
    }

    private static byte[] toArray(ByteBuffer binary) {
        byte[] bytes = new byte[binary.remaining()];
        binary.duplicate().get(bytes);
        return bytes;
    }
}
