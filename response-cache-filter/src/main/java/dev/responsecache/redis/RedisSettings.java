package dev.responsecache.redis;

import dev.responsecache.ResponseCacheConfigException;
import dev.responsecache.ResponseCacheProperties;
import dev.responsecache.spi.PropertyValues;

import java.time.Duration;
import java.util.Objects;

import javax.net.ssl.SSLSocketFactory;

/**
 * The Redis store's settings, read and checked once at start-up.
 *
 * @param uri            server, database and login
 * @param keyPrefix      namespace of every key the store writes
 * @param poolSize       most connections open at once
 * @param connectTimeout bound on opening a connection, and on waiting for a pooled one
 * @param readTimeout    bound on waiting for a reply
 * @param coolDown       how long Redis is left alone once judged unhealthy, before one probe
 * @param slowCall       a call slower than this counts against Redis, as a failure does
 * @param topology       single server, Cluster or Sentinel, with every address
 * @param tlsSockets     TLS sockets trusting the configured CAs, or null for the JVM's defaults (or no TLS)
 * @param tlsFiles       the trust and key stores {@code tlsSockets} were made from, as configured
 */
record RedisSettings(RedisUri uri, String keyPrefix, int poolSize, Duration connectTimeout, Duration readTimeout,
                     Duration coolDown, Duration slowCall, RedisTopology topology, SSLSocketFactory tlsSockets,
                     TlsFiles tlsFiles) {

    /**
     * The TLS settings as configured (all null without TLS): what tells one TLS set-up from another, as the socket
     * factories made from them are never equal. The passwords are compared, never shown.
     */
    record TlsFiles(String trustStore, String trustStorePassword, String keyStore, String keyStorePassword) {

        static TlsFiles from(PropertyValues properties, boolean tls) {
            if (!tls) {
                return new TlsFiles(null, null, null, null);
            }
            return new TlsFiles(properties.string(ResponseCacheProperties.REDIS_TRUST_STORE),
                    properties.string(ResponseCacheProperties.REDIS_TRUST_STORE_PASSWORD),
                    properties.string(ResponseCacheProperties.REDIS_KEY_STORE),
                    properties.string(ResponseCacheProperties.REDIS_KEY_STORE_PASSWORD));
        }

        @Override
        public String toString() {
            return "TlsFiles[trustStore=" + trustStore + ", keyStore=" + keyStore + "]";
        }
    }

    static final String DEFAULT_KEY_PREFIX = "rc:";
    /**
     * Room for the hits one instance serves at once: a request finding every connection busy waits 10 ms, then goes
     * uncached (at 50 concurrent clients 16 connections left 0.7% of the hits uncached, 64 none).
     */
    static final int DEFAULT_POOL_SIZE = 64;
    /** Well under a second: a request never waits long for a cache that cannot answer. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);
    static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(1);
    /** A healthy Redis answers in about a millisecond; fifty is a server in trouble, or a network that is. */
    static final Duration DEFAULT_SLOW_CALL = Duration.ofMillis(50);
    /** How long a request may wait for a pooled connection: long enough for one to come back, no longer. */
    static final Duration POOL_WAIT = Duration.ofMillis(10);

    RedisSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(tlsFiles, "tlsFiles");
        if (poolSize <= 0) {
            throw new IllegalArgumentException("pool size must be positive: " + poolSize);
        }
        for (Duration duration : new Duration[] {connectTimeout, readTimeout, coolDown, slowCall}) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + duration);
            }
        }
    }

    static RedisSettings from(PropertyValues properties) {
        RedisTopology topology = RedisTopology.from(properties);
        return new RedisSettings(
                topology.uri(),
                properties.string(ResponseCacheProperties.REDIS_KEY_PREFIX, DEFAULT_KEY_PREFIX),
                properties.positiveInt(ResponseCacheProperties.REDIS_POOL_SIZE, DEFAULT_POOL_SIZE),
                socketTimeout(properties, ResponseCacheProperties.REDIS_CONNECT_TIMEOUT),
                socketTimeout(properties, ResponseCacheProperties.REDIS_READ_TIMEOUT),
                positive(properties, ResponseCacheProperties.REDIS_COOL_DOWN, DEFAULT_COOL_DOWN),
                positive(properties, ResponseCacheProperties.REDIS_SLOW_CALL, DEFAULT_SLOW_CALL),
                topology, RedisTls.from(properties, topology.uri().tls()),
                TlsFiles.from(properties, topology.uri().tls()));
    }

    /**
     * Whether a store of {@code other} makes the same connections as one of these, and so meets the same faults: the
     * same deployment and addresses (in any order: {@link RedisTopology#sameDeployment}), and on each the same TLS,
     * user, password, database ({@link RedisUri}s compared value by value), the same sentinels' login, trust and key
     * stores, and key prefix (its channels and keys, which an ACL may grant or refuse). Timeouts, pool size and the
     * breaker's settings are not a connection's: a store that differs in them alone goes on with this one's episodes.
     */
    boolean sameConnection(RedisSettings other) {
        return topology.sameDeployment(other.topology) && keyPrefix.equals(other.keyPrefix)
                && tlsFiles.equals(other.tlsFiles);
    }

    /**
     * Checks each Redis setting that is given, as {@link #from} does, when Redis is not the store in use (another
     * store is, or the cache is off): the URI is not required then, and a {@code rediss://} URI's trust and key
     * stores are not read, since the files may exist only where Redis is used.
     */
    static void check(PropertyValues properties) {
        if (properties.string(ResponseCacheProperties.REDIS_URI) == null) {
            RedisTopology.kind(properties);
        } else {
            RedisTls.checkNames(properties, RedisTopology.from(properties).uri().tls());
        }
        properties.positiveInt(ResponseCacheProperties.REDIS_POOL_SIZE, DEFAULT_POOL_SIZE);
        socketTimeout(properties, ResponseCacheProperties.REDIS_CONNECT_TIMEOUT);
        socketTimeout(properties, ResponseCacheProperties.REDIS_READ_TIMEOUT);
        positive(properties, ResponseCacheProperties.REDIS_COOL_DOWN, DEFAULT_COOL_DOWN);
        positive(properties, ResponseCacheProperties.REDIS_SLOW_CALL, DEFAULT_SLOW_CALL);
    }

    private static Duration positive(PropertyValues properties, String name, Duration defaultValue) {
        Duration duration = properties.duration(name, defaultValue);
        if (duration.isZero() || duration.isNegative()) {
            throw ResponseCacheConfigException.badValue(name, properties.string(name), "a positive duration");
        }
        return duration;
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
            throw ResponseCacheConfigException.badValue(name, properties.string(name),
                    "a duration of at most 2147483647ms (about 24.8 days)");
        }
        return timeout;
    }
}
