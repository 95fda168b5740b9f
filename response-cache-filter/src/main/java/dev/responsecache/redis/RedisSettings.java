package dev.responsecache.redis;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.core.PropertyValues;

import java.time.Duration;
import java.util.Objects;

/**
 * The Redis store's settings, read and checked once at start-up.
 *
 * @param uri            server, database and login
 * @param keyPrefix      namespace of every key the store writes
 * @param poolSize       most connections open at once
 * @param connectTimeout bound on opening a connection, and on waiting for a pooled one
 * @param readTimeout    bound on waiting for a reply
 * @param coolDown       how long Redis is left alone after repeated connection failures
 */
record RedisSettings(RedisUri uri, String keyPrefix, int poolSize, Duration connectTimeout, Duration readTimeout,
                     Duration coolDown) {

    static final String DEFAULT_KEY_PREFIX = "rc:";
    static final int DEFAULT_POOL_SIZE = 16;
    /** Well under a second: a request never waits long for a cache that cannot answer. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);
    static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(1);

    RedisSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (poolSize <= 0) {
            throw new IllegalArgumentException("pool size must be positive: " + poolSize);
        }
        for (Duration duration : new Duration[] {connectTimeout, readTimeout, coolDown}) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + duration);
            }
        }
    }

    static RedisSettings from(PropertyValues properties) {
        return new RedisSettings(
                RedisUri.parse(properties.string(ResponseCacheProperties.REDIS_URI)),
                properties.string(ResponseCacheProperties.REDIS_KEY_PREFIX, DEFAULT_KEY_PREFIX),
                properties.positiveInt(ResponseCacheProperties.REDIS_POOL_SIZE, DEFAULT_POOL_SIZE),
                socketTimeout(properties, ResponseCacheProperties.REDIS_CONNECT_TIMEOUT),
                socketTimeout(properties, ResponseCacheProperties.REDIS_READ_TIMEOUT),
                properties.duration(ResponseCacheProperties.REDIS_COOL_DOWN, DEFAULT_COOL_DOWN));
    }

    int connectTimeoutMillis() {
        return (int) connectTimeout.toMillis();
    }

    int readTimeoutMillis() {
        return (int) readTimeout.toMillis();
    }

    /** Socket timeouts are ints of milliseconds. */
    private static Duration socketTimeout(PropertyValues properties, String name) {
        Duration timeout = properties.duration(name, DEFAULT_TIMEOUT);
        if (timeout.toMillis() > Integer.MAX_VALUE) {
            throw ResponseCacheConfigException.badValue(name, properties.string(name), "a duration below 24 days");
        }
        return timeout;
    }
}
