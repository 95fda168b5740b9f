package dev.responsecache.spi;

import java.util.List;
import java.util.Objects;

/** One response header field line; a header with several values is several {@code Header}s with one name. */
public record Header(String name, String value) {

    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public boolean is(String headerName) {
        return name.equalsIgnoreCase(headerName);
    }

    /** The value of the first field line named {@code name} (case-insensitive), or null. */
    public static String firstValue(List<Header> headers, String name) {
        for (Header header : headers) {
            if (header.is(name)) {
                return header.value();
            }
        }
        return null;
    }
}
