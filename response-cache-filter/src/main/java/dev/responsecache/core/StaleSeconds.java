package dev.responsecache.core;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.spi.StaleWindows;

/**
 * The stale windows one endpoint declares, in seconds as the annotation and the init-params give them, before they
 * are checked: {@link #DEFAULT} (-1) stands for the configured default, zero for none.
 *
 * @param whileRevalidate {@code staleWhileRevalidate}
 * @param ifError         {@code staleIfError}
 */
public record StaleSeconds(long whileRevalidate, long ifError) {

    /** "Not given": the value of {@code responsecache.stale-while-revalidate} or {@code responsecache.stale-if-error}. */
    public static final long DEFAULT = -1;

    /** Both windows from the configuration. */
    public static final StaleSeconds DEFAULTS = new StaleSeconds(DEFAULT, DEFAULT);

    /** The windows, each its own value or the configured default, failing with a message that names {@code owner}. */
    StaleWindows resolve(String owner, StaleWindows defaults) {
        return new StaleWindows(
                millis(owner, "staleWhileRevalidate", whileRevalidate, defaults.whileRevalidateMillis()),
                millis(owner, "staleIfError", ifError, defaults.ifErrorMillis()));
    }

    private static long millis(String owner, String name, long seconds, long defaultMillis) {
        if (seconds == DEFAULT) {
            return defaultMillis;
        }
        if (seconds < 0 || seconds > CachePolicy.MAX_TTL.toSeconds()) {
            throw new ResponseCacheConfigException(owner + ": " + name + " must be between 0 and "
                    + CachePolicy.MAX_TTL.toSeconds() + " seconds, was " + seconds);
        }
        return seconds * 1000;
    }
}
