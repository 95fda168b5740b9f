package dev.responsecache.ehcache;

import dev.responsecache.spi.CacheEntry;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import org.ehcache.expiry.ExpiryPolicy;

/** Each entry lives until its own expiry time; reading it does not extend it. */
final class EntryExpiry implements ExpiryPolicy<String, CacheEntry> {

    private final Clock clock;

    EntryExpiry(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Duration getExpiryForCreation(String key, CacheEntry value) {
        return Duration.ofMillis(value.retainedMillis(clock.millis()));
    }

    @Override
    public Duration getExpiryForAccess(String key, Supplier<? extends CacheEntry> value) {
        return null;
    }

    @Override
    public Duration getExpiryForUpdate(String key, Supplier<? extends CacheEntry> oldValue, CacheEntry newValue) {
        return getExpiryForCreation(key, newValue);
    }
}
