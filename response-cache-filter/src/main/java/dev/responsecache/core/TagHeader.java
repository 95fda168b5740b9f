package dev.responsecache.core;

import dev.responsecache.spi.PropertyValues;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;

import java.util.Locale;
import java.util.Set;

/**
 * Checks the header names the cache writes or removes: {@code responsecache.tag-header} is removed from responses and
 * {@code responsecache.status-header} is set on them, so neither may name a header HTTP needs or the cache sets.
 */
final class TagHeader {

    private static final Set<String> NEEDED = Set.of("cache-control", "content-encoding", "content-length",
            "content-location", "content-type", "date", "etag", "expires", "last-modified", "location", "set-cookie",
            "transfer-encoding", "vary", "age", "cache-status");

    private TagHeader() {
    }

    /** The configured status header's name, or {@code X-Cache}. */
    static String checkedStatusHeader(PropertyValues properties) {
        String name = properties.headerName(ResponseCacheProperties.STATUS_HEADER, "X-Cache");
        if (NEEDED.contains(name.toLowerCase(Locale.ROOT))) {
            throw ResponseCacheConfigException.badValue(ResponseCacheProperties.STATUS_HEADER, name,
                    "a header of its own (this one is set on every response the cache handles)");
        }
        return name;
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
