package dev.responsecache.redis;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The hit path's {@code GET}s on a Redis Cluster, auto-pipelined on one connection per primary ({@link PipelinedReads},
 * made as the node pools make theirs): each read goes to the primary that Jedis's slot map names for the key's slot.
 * A {@code GET} touches one key, so one slot.
 *
 * <p>The map can be wrong (a slot migrated, a replica promoted) until Jedis reads it again. A reply that says so
 * ({@code MOVED}, {@code ASK}) is its own caller's only (the connection stays in step, see {@link PipelinedConnection}),
 * and that caller reads again through Jedis's Cluster client, which follows the redirection and, on {@code MOVED},
 * reads the map again for the reads after it. {@code TRYAGAIN} and {@code CLUSTERDOWN} go to the store as they are:
 * Jedis's client would not retry them either, so reading again would only add a round trip. A connection that fails
 * (a node gone) has the map read again in the background, as every call that fails does ({@code
 * RedisStore.renewsTopologyOnFaults}): read on the hit's thread, it would hold that hit for a connect timeout per seed.
 * Connections to nodes that no longer serve any slot are closed: after a redirection or a failed connection the map
 * is looked over, at most once per {@code sweepEvery}, so hits pay nothing for it while the map holds.
 */
final class ClusterPipelinedReads implements HitReads {

    private final ClusterConnectionProvider cluster;
    private final JedisClientConfig client;
    private final Duration readTimeout;
    /** Jedis's Cluster {@code GET}: a pooled connection to the slot's node, redirections followed. */
    private final UnaryOperator<byte[]> clusterGet;
    private final LongSupplier nanoTime;
    private final long sweepNanos;
    private final ConcurrentHashMap<HostAndPort, PipelinedReads> primaries = new ConcurrentHashMap<>();
    private final ReentrantLock sweeping = new ReentrantLock();
    private volatile long sweepAt;
    /**
     * Set by a redirection or a failed connection: the map may have dropped a node, so look it over when due; kept
     * until a sweep runs one refresh period after the latest of them, since a failed node leaves the map only at the
     * next background refresh.
     */
    private volatile boolean sweepWanted;
    private volatile long wantedAt;
    private volatile boolean closed;

    ClusterPipelinedReads(ClusterConnectionProvider cluster, JedisClientConfig client, Duration readTimeout,
                          UnaryOperator<byte[]> clusterGet, LongSupplier nanoTime, Duration sweepEvery) {
        this.cluster = cluster;
        this.client = client;
        this.readTimeout = readTimeout;
        this.clusterGet = clusterGet;
        this.nanoTime = nanoTime;
        this.sweepNanos = sweepEvery.toNanos();
        this.sweepAt = nanoTime.getAsLong() + sweepNanos;
    }

    @Override
    public byte[] get(byte[] key, byte[] expected) {
        HostAndPort node = cluster.getNode(JedisClusterCRC16.getSlot(key));
        if (node == null) {
            // No node known for the slot (no map read yet): the Cluster client reads the map.
            return clusterGet.apply(key);
        }
        PipelinedReads reads = primaries.get(node);
        if (reads == null) {
            reads = opened(node);
        }
        if (sweepWanted && nanoTime.getAsLong() - sweepAt >= 0) {
            sweep();
        }
        try {
            return reads.get(key, expected);
        } catch (JedisDataException e) {
            if (!servedElsewhere(e)) {
                throw e;
            }
            byte[] value = clusterGet.apply(key);
            wantSweep();
            return value;
        } catch (JedisConnectionException e) {
            wantSweep();
            throw e;
        }
    }

    /**
     * Whether an error reply says another node answers the key: {@code MOVED} and {@code ASK}, which Jedis's Cluster
     * client follows. Any other error reply ({@code WRONGTYPE}, {@code TRYAGAIN}, {@code CLUSTERDOWN}) is answered
     * as it is: that client would not retry it either.
     */
    static boolean servedElsewhere(JedisDataException reply) {
        return reply instanceof JedisRedirectionException;
    }

    /** The reads of {@code node}, whose connection the first read through them makes. */
    private PipelinedReads opened(HostAndPort node) {
        PipelinedReads made = new PipelinedReads(node, client, readTimeout, PooledGet.unbounded(clusterGet),
                nanoTime);
        PipelinedReads raced = primaries.putIfAbsent(node, made);
        if (raced != null) {
            return raced;
        }
        if (closed && primaries.remove(node, made)) {
            made.retire();
        }
        return made;
    }

    private void wantSweep() {
        wantedAt = nanoTime.getAsLong();
        sweepWanted = true;
    }

    /**
     * Retires the connections to nodes the slot map no longer names for any slot (a primary that became a replica,
     * or left): their reads go through the pool. One thread at a time; the others go on reading.
     */
    private void sweep() {
        if (!sweeping.tryLock()) {
            return;
        }
        try {
            long now = nanoTime.getAsLong();
            if (now - sweepAt < 0) {
                return;
            }
            sweepAt = now + sweepNanos;
            if (now - wantedAt >= sweepNanos) {
                sweepWanted = false;
            }
            Set<HostAndPort> serving = new HashSet<>();
            HostAndPort previous = null;
            for (int slot = 0; slot < Protocol.CLUSTER_HASHSLOTS; slot++) {
                HostAndPort node = cluster.getNode(slot);
                // Jedis hands out one address object per node and range: most slots repeat the one before.
                if (node != null && node != previous) {
                    serving.add(node);
                    previous = node;
                }
            }
            primaries.forEach((node, reads) -> {
                if (!serving.contains(node) && primaries.remove(node, reads)) {
                    reads.retire();
                }
            });
        } finally {
            sweeping.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        primaries.forEach((node, reads) -> {
            if (primaries.remove(node, reads)) {
                reads.close();
            }
        });
    }
}
