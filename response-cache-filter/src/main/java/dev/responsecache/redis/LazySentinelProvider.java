package dev.responsecache.redis;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.providers.ConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * Jedis's Sentinel provider, built on first use rather than at start-up: Jedis's refuses to exist while no sentinel
 * answers, and the store must start (and serve uncached) through a Redis outage. Until a sentinel names the primary,
 * every call fails as an unreachable Redis does, which the store's breaker turns into misses and a probe per
 * cool-down. Once built, Jedis follows failovers itself: it listens to the sentinels' {@code +switch-master}.
 */
final class LazySentinelProvider implements ConnectionProvider {

    private final String master;
    private final JedisClientConfig client;
    private final ConnectionPoolConfig pool;
    private final Set<HostAndPort> sentinels;
    private final JedisClientConfig sentinelClient;
    private final long listenerRetryMillis;
    private final ReentrantLock building = new ReentrantLock();
    private volatile SentineledConnectionProvider delegate;
    private volatile boolean closed;

    LazySentinelProvider(String master, JedisClientConfig client, ConnectionPoolConfig pool,
                         Set<HostAndPort> sentinels, JedisClientConfig sentinelClient, Duration listenerRetry) {
        this.master = master;
        this.client = client;
        this.pool = pool;
        this.sentinels = Set.copyOf(sentinels);
        this.sentinelClient = sentinelClient;
        this.listenerRetryMillis = listenerRetry.toMillis();
    }

    @Override
    public Connection getConnection() {
        return provider().getConnection();
    }

    @Override
    public Connection getConnection(CommandArguments args) {
        return provider().getConnection(args);
    }

    @Override
    public Map<?, ?> getConnectionMap() {
        return provider().getConnectionMap();
    }

    @Override
    public Map<?, ?> getPrimaryNodesConnectionMap() {
        return provider().getPrimaryNodesConnectionMap();
    }

    /**
     * The primary the sentinels last named (Jedis follows their {@code +switch-master}), or null while no sentinel
     * has named one yet. Jedis names the new primary before it replaces the pool with one that reaches it.
     */
    HostAndPort currentMaster() {
        SentineledConnectionProvider built = delegate;
        return built == null ? null : built.getCurrentMaster();
    }

    /** Throws what Jedis throws when no sentinel answers (a connection exception): a miss for the store. */
    private SentineledConnectionProvider provider() {
        SentineledConnectionProvider built = delegate;
        if (built != null) {
            return built;
        }
        // One caller asks the sentinels; the others go uncached meanwhile rather than queue behind it.
        if (!building.tryLock()) {
            throw new JedisConnectionException("the sentinels are being asked where " + master + " is");
        }
        try {
            if (delegate == null) {
                if (closed) {
                    throw new IllegalStateException("closed");
                }
                // Each sentinel is asked within the connect and read timeouts.
                delegate = new SentineledConnectionProvider(master, client, pool, sentinels, sentinelClient,
                        listenerRetryMillis);
            }
            return delegate;
        } finally {
            building.unlock();
        }
    }

    @Override
    public void close() {
        building.lock();
        try {
            closed = true;
            if (delegate != null) {
                delegate.close();
            }
        } finally {
            building.unlock();
        }
    }
}
