package dev.responsecache.spi;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The versioned binary form of a {@link CacheEntry}, shared by every store that keeps bytes (the Redis store, the
 * Ehcache off-heap tier). The layout is documented byte by byte in {@code docs/ENTRY_FORMAT.md}; any change to it
 * must bump {@link #VERSION}, and entries of another version read as unreadable (a miss), never as garbage.
 */
public final class EntryCodec {

    /** Format version written in byte 3. */
    public static final byte VERSION = 4;
    /** The previous version (no ETag-origin field: any ETag is the response's own), still read. */
    private static final byte VERSION_3 = 3;
    /** The version before (no response tags, no content-coding field: an identity body), still read. */
    private static final byte VERSION_2 = 2;
    private static final byte RESPONSE_ETAG = 0;
    private static final byte DERIVED_ETAG = 1;
    private static final byte IDENTITY = 0;
    private static final byte GZIP = 1;
    /** A gzip member's fixed header and trailer: no member is shorter. */
    private static final int GZIP_MIN_LENGTH = 18;

    private static final byte[] MAGIC = {'R', 'C', 'E'};
    private static final int FIXED_PREFIX = 4 + 8 + 8 + 8 + 8 + 2;

    private EntryCodec() {
    }

    public static byte[] encode(CacheEntry entry) {
        byte[] key = utf8(entry.key());
        List<byte[]> headerBytes = new ArrayList<>(entry.headers().size() * 2);
        int size = FIXED_PREFIX + 4 + key.length + 2 + 2 + 1 + 1 + (entry.gzipped() ? 4 : 0) + 4
                + entry.storedBodyLength() + 4;
        for (Header header : entry.headers()) {
            byte[] name = utf8(header.name());
            byte[] value = utf8(header.value());
            headerBytes.add(name);
            headerBytes.add(value);
            size += 2 + name.length + 4 + value.length;
        }
        List<byte[]> varyBytes = new ArrayList<>(entry.varyValues().size() * 2);
        for (CacheEntry.VaryValue vary : entry.varyValues()) {
            byte[] name = utf8(vary.name());
            byte[] value = vary.value() == null ? null : utf8(vary.value());
            varyBytes.add(name);
            varyBytes.add(value);
            size += 2 + name.length + 1 + (value == null ? 0 : 4 + value.length);
        }
        List<byte[]> tagBytes = new ArrayList<>(entry.responseTags().size());
        size += 2;
        for (String tag : entry.responseTags()) {
            byte[] bytes = utf8(tag);
            tagBytes.add(bytes);
            size += 2 + bytes.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(MAGIC).put(VERSION);
        out.putLong(entry.storedAtMillis()).putLong(entry.expiresAtMillis());
        out.putLong(entry.staleWindows().whileRevalidateMillis()).putLong(entry.staleWindows().ifErrorMillis());
        out.putShort((short) entry.status());
        out.putInt(key.length).put(key);
        out.putShort(checkedCount(entry.headers().size()));
        for (int i = 0; i < headerBytes.size(); i += 2) {
            putShortString(out, headerBytes.get(i));
            out.putInt(headerBytes.get(i + 1).length).put(headerBytes.get(i + 1));
        }
        out.putShort(checkedCount(entry.varyValues().size()));
        for (int i = 0; i < varyBytes.size(); i += 2) {
            putShortString(out, varyBytes.get(i));
            byte[] value = varyBytes.get(i + 1);
            out.put((byte) (value == null ? 0 : 1));
            if (value != null) {
                out.putInt(value.length).put(value);
            }
        }
        out.putShort(checkedCount(tagBytes.size()));
        for (byte[] tag : tagBytes) {
            putShortString(out, tag);
        }
        out.put(entry.derivedETag() ? DERIVED_ETAG : RESPONSE_ETAG);
        if (entry.gzipped()) {
            out.put(GZIP).putInt(entry.bodyLength());
        } else {
            out.put(IDENTITY);
        }
        out.putInt(entry.storedBodyLength()).put(entry.bodyArray());
        CRC32 crc = new CRC32();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * Reads an entry.
     *
     * @throws UnreadableEntryException when the bytes are not a complete, intact entry of this format version
     */
    public static CacheEntry decode(byte[] bytes) {
        if (bytes == null || bytes.length < FIXED_PREFIX + 4) {
            throw new UnreadableEntryException("too short to be an entry");
        }
        if (bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1] || bytes[2] != MAGIC[2]) {
            throw new UnreadableEntryException("not an entry (bad magic)");
        }
        byte version = bytes[3];
        if (version != VERSION && version != VERSION_3 && version != VERSION_2) {
            throw new UnreadableEntryException("entry format version " + bytes[3] + ", this reader knows " + VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt(bytes.length - 4) != (int) crc.getValue()) {
            throw new UnreadableEntryException("checksum mismatch (truncated or corrupted)");
        }
        in.limit(bytes.length - 4).position(4);
        try {
            long storedAt = in.getLong();
            long expiresAt = in.getLong();
            StaleWindows windows = new StaleWindows(in.getLong(), in.getLong());
            int status = Short.toUnsignedInt(in.getShort());
            String key = string(in, in.getInt());
            int headerCount = Short.toUnsignedInt(in.getShort());
            List<Header> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                String name = string(in, Short.toUnsignedInt(in.getShort()));
                headers.add(new Header(name, string(in, in.getInt())));
            }
            int varyCount = Short.toUnsignedInt(in.getShort());
            List<CacheEntry.VaryValue> vary = new ArrayList<>(varyCount);
            for (int i = 0; i < varyCount; i++) {
                String name = string(in, Short.toUnsignedInt(in.getShort()));
                vary.add(new CacheEntry.VaryValue(name, in.get() == 0 ? null : string(in, in.getInt())));
            }
            List<String> tags = new ArrayList<>();
            if (version != VERSION_2) {
                int tagCount = Short.toUnsignedInt(in.getShort());
                for (int i = 0; i < tagCount; i++) {
                    tags.add(string(in, Short.toUnsignedInt(in.getShort())));
                }
            }
            byte etagOrigin = version == VERSION ? in.get() : RESPONSE_ETAG;
            if (etagOrigin != RESPONSE_ETAG && etagOrigin != DERIVED_ETAG) {
                throw new UnreadableEntryException("unknown ETag origin " + etagOrigin);
            }
            byte coding = version == VERSION_2 ? IDENTITY : in.get();
            if (coding != IDENTITY && coding != GZIP) {
                throw new UnreadableEntryException("unknown content coding " + coding);
            }
            int identityLength = coding == GZIP ? in.getInt() : -1;
            byte[] body = new byte[checkedLength(in, in.getInt())];
            in.get(body);
            if (in.hasRemaining()) {
                throw new UnreadableEntryException(in.remaining() + " unexpected trailing bytes");
            }
            if (coding == GZIP) {
                checkGzipMember(body, identityLength);
            }
            return new CacheEntry(key, status, headers, body, storedAt, expiresAt, vary, windows, tags,
                    coding == GZIP,
                    coding == GZIP ? identityLength : body.length, etagOrigin == DERIVED_ETAG);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new UnreadableEntryException("malformed entry: " + e, e);
        }
    }

    /**
     * A gzip body must be one whole member of the recorded identity length (its ISIZE trailer, RFC 1952), so that a
     * hit never starts an identity body it cannot finish; the member's own CRC is checked as it is inflated.
     */
    private static void checkGzipMember(byte[] body, int identityLength) {
        if (identityLength < 0 || body.length < GZIP_MIN_LENGTH || (body[0] & 0xFF) != 0x1F
                || (body[1] & 0xFF) != 0x8B) {
            throw new UnreadableEntryException("gzip body malformed");
        }
        int size = ByteBuffer.wrap(body, body.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (size != identityLength) {
            throw new UnreadableEntryException("gzip body of " + size + " bytes, entry says " + identityLength);
        }
    }

    private static short checkedCount(int count) {
        if (count > 0xFFFF) {
            throw new IllegalArgumentException("too many fields to encode: " + count);
        }
        return (short) count;
    }

    private static void putShortString(ByteBuffer out, byte[] bytes) {
        out.putShort(checkedCount(bytes.length)).put(bytes);
    }

    private static int checkedLength(ByteBuffer in, int length) {
        if (length < 0 || length > in.remaining()) {
            throw new UnreadableEntryException("field length " + length + " exceeds the " + in.remaining()
                    + " bytes left");
        }
        return length;
    }

    private static String string(ByteBuffer in, int length) {
        checkedLength(in, length);
        String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
