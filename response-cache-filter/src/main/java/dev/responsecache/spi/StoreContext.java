package dev.responsecache.spi;

import java.time.Clock;
import java.util.Objects;

/**
 * What a store is created with: the application's {@code responsecache.*} properties and the clock every expiry
 * must follow.
 *
 * @param properties validated access to configuration values
 * @param clock      the cache's clock (tests move it instead of waiting)
 */
public record StoreContext(PropertyValues properties, Clock clock) {

    public StoreContext {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(clock, "clock");
    }
}
