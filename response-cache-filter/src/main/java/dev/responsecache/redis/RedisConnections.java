package dev.responsecache.redis;

import java.time.Clock;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLParameters;

import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;

/** Builds the Jedis client for a {@link RedisStore}; kept apart so the store reads as cache logic. */
final class RedisConnections {

    private RedisConnections() {
    }

    /** Opens the store. Creates no connection up front, so it succeeds whether or not Redis is reachable. */
    static RedisStore open(RedisSettings settings, Clock clock, LongSupplier nanoTime) {
        RedisUri uri = settings.uri();
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(settings.connectTimeoutMillis())
                .socketTimeoutMillis(settings.readTimeoutMillis())
                .database(uri.database())
                .clientName("response-cache");
        if (uri.user() != null) {
            client.user(uri.user());
        }
        if (uri.password() != null) {
            client.password(uri.password());
        }
        if (uri.tls()) {
            // Jedis checks no host name by default; a certificate must name the host we meant to reach.
            SSLParameters tls = new SSLParameters();
            tls.setEndpointIdentificationAlgorithm("HTTPS");
            client.ssl(true).sslParameters(tls);
        }
        PooledConnectionProvider provider = new PooledConnectionProvider(
                new HostAndPort(uri.host(), uri.port()), client.build(), poolConfig(settings));
        return new RedisStore(new UnifiedJedis(provider), provider.getPool(), settings, clock, nanoTime);
    }

    private static ConnectionPoolConfig poolConfig(RedisSettings settings) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize());
        pool.setMaxIdle(settings.poolSize());
        pool.setMinIdle(0);
        // A request waits for a free connection only briefly; then it goes uncached. A busy pool is not an outage.
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(RedisSettings.POOL_WAIT);
        // Testing on borrow would add a PING round trip to every hit; dead connections are found by use instead.
        pool.setTestOnBorrow(false);
        pool.setTestOnReturn(false);
        pool.setJmxEnabled(false);
        return pool;
    }
}
