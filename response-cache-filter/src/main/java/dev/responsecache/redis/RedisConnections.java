package dev.responsecache.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

import javax.net.ssl.SSLParameters;

import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.PooledConnectionProvider;
import redis.clients.jedis.util.Pool;

/** Builds the Jedis client for a {@link RedisStore}; kept apart so the store reads as cache logic. */
final class RedisConnections {

    /**
     * Tries per Cluster command: one more than one, so a {@code MOVED} or {@code ASK} after a failover or resharding is
     * followed at once. The second is made only when the first ended within {@code slow-call} (Jedis's
     * {@code maxTotalRetriesDuration}, which it checks between attempts): a redirection, a refused connection. A first
     * attempt that waited out its read timeout (a hung node) is not repeated, so a command takes at most one attempt
     * plus {@code slow-call}: {@link #clusterCommandBound}.
     */
    static final int CLUSTER_ATTEMPTS = 2;
    /** How often the Cluster's slot map is read again in the background, besides on every redirect or failure. */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(5);

    /**
     * Holds Jedis's empty-start switch ({@link #cluster}) set for one Cluster client being built. A lock, not a
     * monitor: building it reads the slot map from the seeds (connections, bounded by their timeouts), possibly on a
     * request's thread (a JAX-RS runtime opens the cache on its first request), and a virtual thread blocked inside a
     * monitor pins its carrier thread on Java 21 to 23.
     */
    private static final ReentrantLock CLUSTER_INIT = new ReentrantLock();

    /** Connections the store's standing subscriptions may hold for good: lease releases and the eviction feed. */
    static final int SUBSCRIPTIONS = 2;

    private RedisConnections() {
    }

    /** Opens the store. Succeeds whether or not Redis is reachable: an unreachable Redis is a miss, not a failure. */
    static RedisStore open(RedisSettings settings, Clock clock, LongSupplier nanoTime) {
        return open(settings, clock, nanoTime, LazySentinelProvider.PRIMARY_CHECK);
    }

    /** As {@link #open(RedisSettings, Clock, LongSupplier)}; on Sentinel, the sentinels asked every {@code check}. */
    static RedisStore open(RedisSettings settings, Clock clock, LongSupplier nanoTime, Duration sentinelCheck) {
        RedisTopology topology = settings.topology();
        RedisUri uri = settings.uri();
        JedisClientConfig client = clientConfig(settings, uri.user(), uri.password(), uri.database());
        switch (topology.kind()) {
            case CLUSTER: {
                BackgroundSlotMap provider = cluster(topology, client, settings);
                UnifiedJedis redis = new JedisCluster(provider, CLUSTER_ATTEMPTS, settings.slowCall());
                // Hits share one pipelined connection per primary, chosen by the slot map; the node pools serve
                // everything else, and the hits the map was wrong for.
                ClusterPipelinedReads reads = new ClusterPipelinedReads(provider, client, settings.readTimeout(),
                        redis::get, nanoTime, TOPOLOGY_REFRESH);
                // Node pools are sized for the subscriptions up front (poolConfig).
                return new RedisStore(redis, provider::getConnection, () -> provider.getNodes().values().forEach(ConnectionPool::clear),
                        () -> { }, settings, clock, nanoTime, reads).renewsTopologyOnFaults(provider::renewSlotCache)
                        .refusalsLoggedBy(provider.refusals());
            }
            case SENTINEL: {
                JedisClientConfig sentinels = clientConfig(settings, topology.sentinelUser(),
                        topology.sentinelPassword(), 0);
                LazySentinelProvider provider = new LazySentinelProvider(topology.sentinelMaster(), client,
                        poolConfig(settings, SUBSCRIPTIONS), addresses(topology), sentinels, settings.coolDown(),
                        sentinelCheck, nanoTime);
                UnifiedJedis redis = new UnifiedJedis(provider);
                // Hits share one pipelined connection to the primary, which follows it through failovers.
                SentinelPipelinedReads reads = new SentinelPipelinedReads(provider, client, settings.readTimeout(),
                        PooledGet.bounded(provider::getConnection, settings.readTimeoutMillis()), nanoTime);
                // The pool is replaced on every failover: a dead connection fails once and is not returned.
                // The eviction feed's subscription follows the primary too: evictions are published there.
                // A READONLY reply: the primary Jedis names may be a replica now (a switch it did not hear).
                return new RedisStore(redis, provider::getConnection, () -> { }, () -> { }, settings, clock, nanoTime, reads)
                        .feedFollows(provider::currentMaster).asksAgainOnReadOnly(provider::primaryInDoubt)
                        .refusalsLoggedBy(provider.refusals());
            }
            default: {
                HostAndPort server = new HostAndPort(uri.host(), uri.port());
                PooledConnectionProvider provider = new PooledConnectionProvider(BoundedLogin.pooled(server, client),
                        poolConfig(settings));
                UnifiedJedis redis = new UnifiedJedis(provider);
                // Hits share one pipelined connection of their own; the pool serves everything else.
                PipelinedReads reads = new PipelinedReads(server, client, settings.readTimeout(),
                        PooledGet.bounded(provider::getConnection, settings.readTimeoutMillis()), nanoTime);
                return new RedisStore(redis, provider::getConnection, provider.getPool()::clear,
                        () -> oneMore(provider.getPool()), settings, clock, nanoTime, reads);
            }
        }
    }

    /** A connection held for good by a subscription: one more in the pool, so requests keep the size they had. */
    private static void oneMore(Pool<Connection> pool) {
        pool.setMaxTotal(pool.getMaxTotal() + 1);
        pool.setMaxIdle(pool.getMaxIdle() + 1);
    }

    static JedisClientConfig clientConfig(RedisSettings settings, String user, String password,
                                          int database) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(settings.connectTimeoutMillis())
                .socketTimeoutMillis(settings.readTimeoutMillis())
                .database(database)
                .clientName("response-cache")
                .hostAndPortMapper(new BoundedDns(settings.connectTimeoutMillis()));
        if (user != null) {
            client.user(user);
        }
        if (password != null) {
            client.password(password);
        }
        if (settings.uri().tls()) {
            // Jedis checks no host name by default; a certificate must name the host we meant to reach.
            SSLParameters tls = new SSLParameters();
            tls.setEndpointIdentificationAlgorithm("HTTPS");
            client.ssl(true).sslParameters(tls);
            if (settings.tlsSockets() != null) {
                client.sslSocketFactory(settings.tlsSockets());
            }
        }
        return client.build();
    }

    /**
     * The longest one Cluster command takes: an attempt (a wait for the node's pool, a new connection, the reply)
     * and, when the first ended within {@code slow-call}, a second one. The slot map is never read on the command's
     * thread ({@link BackgroundSlotMap}).
     */
    static Duration clusterCommandBound(RedisSettings settings) {
        return RedisSettings.POOL_WAIT.plus(settings.connectTimeout()).plus(settings.readTimeout())
                .plus(settings.slowCall());
    }

    /**
     * A Cluster client whose slot map is read from the first seed that answers, refreshed every
     * {@link #TOPOLOGY_REFRESH}, and after a redirection or a failed command, in the background. Jedis refuses to build
     * one when no seed answers; the store must start anyway (a Cluster down at start-up is an outage like any other),
     * so Jedis's documented switch for an empty start is set while the client is built: the map is then read on first
     * use.
     */
    private static BackgroundSlotMap cluster(RedisTopology topology, JedisClientConfig client,
                                                     RedisSettings settings) {
        CLUSTER_INIT.lock();
        try {
            boolean set = System.getProperty(JedisCluster.INIT_NO_ERROR_PROPERTY) == null;
            if (set) {
                System.setProperty(JedisCluster.INIT_NO_ERROR_PROPERTY, "true");
            }
            try {
                return new BackgroundSlotMap(addresses(topology), client, poolConfig(settings, SUBSCRIPTIONS),
                        TOPOLOGY_REFRESH);
            } finally {
                if (set) {
                    System.clearProperty(JedisCluster.INIT_NO_ERROR_PROPERTY);
                }
            }
        } finally {
            CLUSTER_INIT.unlock();
        }
    }

    static Set<HostAndPort> addresses(RedisTopology topology) {
        Set<HostAndPort> addresses = new LinkedHashSet<>();
        for (RedisUri node : topology.nodes()) {
            addresses.add(new HostAndPort(node.host(), node.port()));
        }
        return addresses;
    }

    static ConnectionPoolConfig poolConfig(RedisSettings settings) {
        return poolConfig(settings, 0);
    }

    /**
     * {@code reserved} more connections than {@code pool-size}: on Sentinel and Cluster, whose pools cannot grow once
     * built (Sentinel rebuilds its pool on every failover), the store's standing subscriptions (lease releases, the
     * near tier's eviction feed) are counted in up front.
     */
    static ConnectionPoolConfig poolConfig(RedisSettings settings, int reserved) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize() + reserved);
        pool.setMaxIdle(settings.poolSize() + reserved);
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
