package dev.responsecache;

/** A configuration value or annotation that the response cache cannot work with; thrown at start-up. */
public final class ResponseCacheConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The property whose value was refused, or null for an error about something else. */
    private final String property;

    public ResponseCacheConfigException(String message) {
        this(message, null, null);
    }

    public ResponseCacheConfigException(String message, Throwable cause) {
        this(message, cause, null);
    }

    private ResponseCacheConfigException(String message, Throwable cause, String property) {
        super(message, cause);
        this.property = property;
    }

    /**
     * The property whose value was refused, when this error is about one value ({@link #badValue}); otherwise null.
     * The library uses it to say where the value was set: a system property, an environment variable, ...
     */
    public String property() {
        return property;
    }

    /** The standard message for a bad property value: names the property, the value and what was expected. */
    public static ResponseCacheConfigException badValue(String property, Object value, String expected) {
        return new ResponseCacheConfigException(
                "Invalid value for " + property + ": '" + value + "' (expected " + expected + ")", null, property);
    }
}
