package dev.responsecache.spi;

/** Stored bytes that are not an intact entry of the current format; stores treat this as a miss. */
public final class UnreadableEntryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableEntryException(String message) {
        super(message);
    }

    public UnreadableEntryException(String message, Throwable cause) {
        super(message, cause);
    }
}
