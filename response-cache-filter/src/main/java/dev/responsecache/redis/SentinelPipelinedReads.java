package dev.responsecache.redis;

import java.time.Duration;
import java.util.function.LongSupplier;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The hit path's {@code GET}s under Sentinel, auto-pipelined on one connection to the primary the sentinels name
 * ({@link PipelinedReads}, made as the pool makes its own: TLS, login, database, client name).
 *
 * <p>Every read first asks which primary Jedis currently knows (it follows the sentinels' {@code +switch-master} and
 * rebuilds its pool for it). When that is no longer the primary the connection reaches, the first read to see it
 * retires the connection and opens one to the new primary: a read that starts after Jedis has seen the switch never
 * goes to the old primary's connection. The reads still waiting on the old connection (sent before the switch was
 * seen, their replies not yet read) are not handed the old primary's replies: they read again through the pool,
 * which Jedis has pointed at the new primary. A failover is not a fault: those reads cost one more round trip each,
 * not a miss, a request to the application and a store, nor a failure counted against the new primary. (Jedis names
 * the new primary just before it replaces its pool, so a pooled read in between, as any pooled command then, still
 * reaches the old primary; its pool cannot be asked which server it reaches.)
 */
final class SentinelPipelinedReads implements HitReads {

    /** A primary and the pipelined connection that reaches it. */
    private record Primary(HostAndPort address, PipelinedReads reads) {
    }

    private final LazySentinelProvider sentinels;
    private final JedisClientConfig client;
    private final Duration readTimeout;
    /** A pooled {@code GET}, through the pool Jedis keeps for the current primary. */
    private final PooledGet pooledGet;
    private final LongSupplier nanoTime;
    private final Object switching = new Object();
    private volatile Primary current;
    /** Guarded by {@link #switching}. */
    private boolean closed;

    SentinelPipelinedReads(LazySentinelProvider sentinels, JedisClientConfig client, Duration readTimeout,
                           PooledGet pooledGet, LongSupplier nanoTime) {
        this.sentinels = sentinels;
        this.client = client;
        this.readTimeout = readTimeout;
        this.pooledGet = pooledGet;
        this.nanoTime = nanoTime;
    }

    @Override
    public byte[] get(byte[] key, byte[] expected) {
        HostAndPort master = sentinels.currentMaster();
        if (master == null) {
            // No sentinel has named the primary yet: the pooled read asks them (one caller at a time).
            return pooledGet.get(key, readTimeout.toNanos());
        }
        Primary primary = current;
        if (primary == null || !primary.address.equals(master)) {
            primary = following();
        }
        return primary.reads.get(key, expected);
    }

    /**
     * The connection to the primary Jedis names now, made the current one (its connection is made by the read that
     * uses it first); the one it replaces is retired. No I/O under the lock.
     */
    private Primary following() {
        Primary retired;
        Primary next;
        synchronized (switching) {
            if (closed) {
                throw new JedisConnectionException("the Redis store was closed");
            }
            // Asked again under the lock: a read that saw the name before a switch must not switch back to it.
            HostAndPort master = sentinels.currentMaster();
            retired = current;
            if (retired != null && retired.address.equals(master)) {
                return retired;
            }
            next = new Primary(master, new PipelinedReads(master, client, readTimeout, pooledGet, nanoTime));
            current = next;
        }
        if (retired != null) {
            retired.reads.retire();
        }
        return next;
    }

    @Override
    public void close() {
        Primary primary;
        synchronized (switching) {
            closed = true;
            primary = current;
        }
        if (primary != null) {
            primary.reads.close();
        }
    }
}
