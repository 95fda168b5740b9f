package dev.responsecache.core;

import dev.responsecache.spi.PropertyValues;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;

import java.util.Locale;
import java.util.Set;

/** Checks {@code responsecache.tag-header}: it is removed from responses, so it may not name a header HTTP needs. */
final class TagHeader {

    private static final Set<String> NEEDED = Set.of("cache-control", "content-encoding", "content-length",
            "content-location", "content-type", "date", "etag", "expires", "last-modified", "location", "set-cookie",
            "transfer-encoding", "vary", "age", "cache-status");

    private TagHeader() {
    }

    /** The configured header name, or null when off. */
    static String checked(PropertyValues properties) {
        String name = properties.headerName(ResponseCacheProperties.TAG_HEADER, null);
        if (name == null) {
            return null;
        }
        if (NEEDED.contains(name.toLowerCase(Locale.ROOT))
                || name.equalsIgnoreCase(properties.headerName(ResponseCacheProperties.STATUS_HEADER, "X-Cache"))) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.TAG_HEADER, name,
                    "a header of the application's own (this one is removed from every cached response)");
        }
        return name;
    }
}
