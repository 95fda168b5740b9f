package dev.responsecache.jaxrs;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A value read once and kept for the application's life, such as the session cookie's configured name, whose read may
 * fail for a while (a context still starting, a wrapper that throws): a failed read is not kept as the answer, it is
 * tried again, at most once a second, so that a passing fault does not decide for good. Null (a value known to be
 * none) is kept like any other.
 */
final class ReadUntilKnown {

    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Stands for "known to be none" in {@link #known}, whose null means "not read yet". */
    private static final String NONE = new String("none");

    private final Supplier<String> read;
    private final LongSupplier nanoTime;
    private volatile String known;
    private volatile boolean failed;
    private volatile long failedAt;

    /** @param read the value, null when there is none; throws when it cannot be read now */
    ReadUntilKnown(Supplier<String> read, LongSupplier nanoTime) {
        this.read = read;
        this.nanoTime = nanoTime;
    }

    /** The value, or null when there is none or it cannot be read (yet). */
    String get() {
        String value = known;
        if (value != null) {
            return value == NONE ? null : value;
        }
        long now = nanoTime.getAsLong();
        if (failed && now - failedAt < RETRY_NANOS) {
            return null;
        }
        try {
            String read = this.read.get();
            known = read == null ? NONE : read;
            return read;
        } catch (RuntimeException unreadable) {
            failedAt = now;
            failed = true;
            return null;
        }
    }
}
