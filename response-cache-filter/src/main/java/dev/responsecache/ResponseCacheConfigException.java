package dev.responsecache;

/** A configuration value or annotation that the response cache cannot work with; thrown at start-up. */
public final class ResponseCacheConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ResponseCacheConfigException(String message) {
        super(message);
    }

    public ResponseCacheConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The standard message for a bad property value: names the property, the value and what was expected. */
    public static ResponseCacheConfigException badValue(String property, Object value, String expected) {
        return new ResponseCacheConfigException(
                "Invalid value for " + property + ": '" + value + "' (expected " + expected + ")");
    }
}
