package dev.responsecache.servlet;

import jakarta.servlet.ServletOutputStream;

import java.util.regex.Pattern;

/**
 * How the output stream a servlet prints text on ({@code print(String)} and {@code println(String)}, through which
 * the servlet API sends every other {@code print} and {@code println}) turns it into bytes, so that the capture sends
 * and copies the bytes that stream would have sent. Decided once per stream class.
 */
enum StreamPrint {

    /**
     * The servlet API's own: one byte per character, a character past ISO-8859-1 refused with a
     * {@code CharConversionException} (Tomcat's stream, and a wrapper's that does not print itself).
     */
    SERVLET_API,
    /**
     * Jetty 12's {@code HttpOutput}: the text in the response's character encoding ({@code String.getBytes}), written
     * as one write; {@code println} takes the text into its buffer without a write when it fits there with the line
     * end, then writes the line end ({@code \r\n} as ASCII) on its own.
     */
    RESPONSE_CHARSET,
    /** Another stream that prints its own way, or one the cache stands in for: printed text goes uncopied. */
    UNKNOWN;

    private static final Pattern JETTY_OUTPUT = Pattern.compile("org\\.eclipse\\.jetty\\.ee1\\d\\.servlet\\.HttpOutput");

    private static final StreamPrint[] VALUES = values();

    /**
     * Each stream class's {@link #ordinal()}: kept by the container's class for as long as the server runs, the value
     * is of a JDK class, so that it does not keep the web application's class loader (this enum's) once redeployed.
     */
    private static final ClassValue<Integer> BY_CLASS = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            return of(type).ordinal();
        }
    };

    static StreamPrint of(ServletOutputStream stream) {
        return VALUES[BY_CLASS.get(stream.getClass())];
    }

    private static StreamPrint of(Class<?> type) {
        if (type == DiscardingOutputStream.class) {
            // A stand-in's stream: what the container's would have sent is for the stand-in to say.
            return UNKNOWN;
        }
        try {
            if (type.getMethod("print", String.class).getDeclaringClass() == ServletOutputStream.class
                    && type.getMethod("println", String.class).getDeclaringClass() == ServletOutputStream.class) {
                return SERVLET_API;
            }
        } catch (NoSuchMethodException | SecurityException unreadable) {
            return UNKNOWN;
        }
        // Jetty 12's ee10 and ee11 environments; ee8 and ee9 print through an encoder of their own.
        return JETTY_OUTPUT.matcher(type.getName()).matches() ? RESPONSE_CHARSET : UNKNOWN;
    }
}
